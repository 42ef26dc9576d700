"""The build stage: the job plan, incremental reuse, workers, publication and the report files.

`jobs` plans (document × locale × output row × edition), `fingerprint` says what each job's
inputs are, `workers` renders and gates in worker processes, `publish` is the only code that
writes into `build/`, `run` chains the passes, `check` gates what `build/` already holds.
"""

from pipeline.build.check import check_existing
from pipeline.build.jobs import PSEUDO_LOCALES, Job, Selection, artifact_name, plan
from pipeline.build.outcome import BuildResult, Outcome, Status
from pipeline.build.project import Project, load_project
from pipeline.build.run import build

__all__ = ["BuildResult", "Job", "Outcome", "PSEUDO_LOCALES", "Project", "Selection",
           "Status", "artifact_name", "build", "check_existing", "load_project", "plan"]
