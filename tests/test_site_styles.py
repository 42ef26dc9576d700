"""A site overrides only the style files it has; the package's defaults fill in the rest.

Why: a clinic had to copy the whole of `styles/` (and keep merging it on every upgrade) to
change one colour. Now a site with no `styles/` at all renders with the defaults, a site's own
file wins file by file, and the fingerprint follows the file actually read. Also here: the
configuration file of a site (`plainpress.toml`) beside the sample's `[tool.plainpress]`, and
a renamed key naming its new name.
"""

from __future__ import annotations

import shutil

import pytest

from pipeline.build.fingerprint import Fingerprints
from pipeline.errors import ConfigError
from pipeline.render.context import RenderContext
from pipeline.settings import config, theme
from pipeline.settings.styles import DEFAULT_STYLES, style_path
from pipeline.translate.extract import ui_template

from conftest import REPO, require_tool

SITE = 'organisation = "Hillside Clinic"\nsource_locale = "en"\n'


@pytest.fixture
def site(project):
    """The test project as a site of its own: plainpress.toml, no styles/ folder."""
    shutil.rmtree(project.root / "styles")
    (project.root / "pyproject.toml").unlink()
    project.write("plainpress.toml", SITE)
    return project



def test_a_site_without_styles_renders_with_the_packaged_defaults(site):
    cfg = config.load(site.root)
    assert cfg.config_file == "plainpress.toml" and cfg.organisation == "Hillside Clinic"
    assert theme.load(cfg).colors == theme.load(config.load(REPO)).colors
    ctx = RenderContext(cfg, theme.load(cfg), cfg.page_size)
    assert ctx.template("handout.html.j2").filename == str(
        DEFAULT_STYLES / "templates" / "handout.html.j2")


def test_a_site_template_wins_over_the_default_and_its_labels_are_extracted(site):
    default = (DEFAULT_STYLES / "templates" / "handout.html.j2").read_text("utf-8")
    site.write("styles/templates/handout.html.j2",
               default.replace("<body", "{# a site's own #}<body", 1)
               + "{{ _(\"Call us today\") }}\n")
    cfg = config.load(site.root)
    ctx = RenderContext(cfg, theme.load(cfg), cfg.page_size)
    assert ctx.template("handout.html.j2").filename == str(
        site.root / "styles/templates/handout.html.j2")
    assert ctx.template("article.html.j2").filename.startswith(str(DEFAULT_STYLES))
    catalog = ui_template(cfg)
    assert catalog.get("Call us today") is not None
    assert catalog.get("Key points") is not None  # still extracted from the other defaults
    assert ("styles/templates/handout.html.j2" in
            {path for message in catalog for path, _ in message.locations})


def test_a_site_theme_overrides_the_default_theme(site):
    text = (DEFAULT_STYLES / "theme.toml").read_text("utf-8")
    site.write("styles/theme.toml", text.replace('heading = "', 'heading = "#000000" #', 1))
    cfg = config.load(site.root)
    assert theme.load(cfg).colors["heading"] == "#000000"
    assert theme.load(cfg).colors != theme.load(config.load(REPO)).colors


def test_the_fingerprint_hashes_the_file_actually_used(site):
    cfg = config.load(site.root)

    def print_of(output="handout"):
        return Fingerprints(site.root, cfg.theme, "en", False).job("sample", "en", output,
                                                                   "letter")

    before = print_of()
    assert style_path(site.root, "templates/handout.html.j2").is_relative_to(DEFAULT_STYLES)
    site.write("styles/templates/handout.html.j2",
               (DEFAULT_STYLES / "templates/handout.html.j2").read_text("utf-8") + "\n")
    assert print_of() != before  # the site's copy is read now
    (site.root / "styles/templates/handout.html.j2").unlink()
    assert print_of() == before  # back to the default
    site.write("styles/theme.toml", (DEFAULT_STYLES / "theme.toml").read_text("utf-8") + "\n")
    assert print_of() != before


def test_a_folder_with_both_configuration_files_is_an_error_naming_both(site):
    site.write("pyproject.toml", '[tool.plainpress]\norganisation = "Other"\n')
    with pytest.raises(ConfigError) as error:
        config.find_root(site.root / "source")
    assert "plainpress.toml" in str(error.value) and "pyproject.toml" in str(error.value)


def test_a_pyproject_without_the_table_does_not_hide_plainpress_toml(site):
    site.write("pyproject.toml", '[project]\nname = "clinic-tools"\n')
    assert config.find_root(site.root / "source") == site.root
    assert config.load(site.root).config_file == "plainpress.toml"


@pytest.mark.parametrize("where, text", [
    ("plainpress.toml", SITE + "email_limit_kb = 800\n"),
    ("pyproject.toml", '[tool.plainpress]\norganisation = "X"\nemail_limit_kb = 800\n')])
def test_a_renamed_key_names_its_new_name_with_file_and_line(project, where, text):
    if where == "plainpress.toml":
        (project.root / "pyproject.toml").unlink()
    project.write(where, text)
    with pytest.raises(ConfigError) as error:
        config.load(project.root)
    assert "`email_limit_kb` was renamed `email_size_limit_kb`" in str(error.value)
    assert error.value.loc.path == where and error.value.loc.line == text.count("\n")


def test_plainpress_toml_errors_name_plainpress_toml(site):
    site.write("plainpress.toml", SITE + "colour = 1\n[reading_level]\nhandout_max_grade = 5\n")
    with pytest.raises(ConfigError) as error:
        config.load(site.root)
    assert "unknown setting `colour` in plainpress.toml" in str(error.value)
    assert error.value.loc.path == "plainpress.toml" and error.value.loc.line == 3
    site.write("plainpress.toml", SITE + "[reading_level]\nhandout_max_grade = 5\n")
    assert config.load(site.root).reading.handout_max_grade == 5.0


def test_a_site_builds_with_one_overridden_template_and_the_defaults(site):
    from pipeline.build import Selection, build

    article = (DEFAULT_STYLES / "templates/article.html.j2").read_text("utf-8")
    assert "<main" in article
    site.write("styles/templates/article.html.j2",
               article.replace("<main", "<p>Hillside's own banner</p><main", 1))
    result = build(site.root, Selection((), (), ("html",), ()), None, None, jobs=1)
    assert result.exit_code == 0, [c.message for c in result.checks if not c.passed]
    page = (site.root / "build/en/sample.html").read_text("utf-8")
    assert "Hillside's own banner" in page  # the site's template
    assert '<meta name="author" content="Hillside Clinic">' in page
    assert "<h2" in page and "<style" in page  # the default blocks template and CSS


def test_a_shared_block_left_as_a_placeholder_is_an_error_at_its_line(site):
    from pipeline.errors import SourceError
    from pipeline.read import reader

    site.write("source/_shared/contact.md", "Call us.\n\n[[Write how patients reach you.]]\n")
    with pytest.raises(SourceError) as error:
        reader.read_snippet(config.load(site.root), "contact")
    assert str(error.value.loc) == "source/_shared/contact.md:3"
    assert "Write how patients reach you." in error.value.message


def test_init_refuses_a_folder_in_use_and_a_bad_locale_before_writing(tmp_path, capsys):
    from pipeline.cli import main

    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "notes.txt").write_text("mine", "utf-8")
    assert main(["init", str(tmp_path / "used"), "--organisation", "Hillside Clinic"]) == 2
    assert "is not an empty folder" in capsys.readouterr().err
    assert main(["init", str(tmp_path / "new"), "--organisation", "Hillside Clinic",
                 "--locale", "qq"]) == 2
    assert "--locale qq" in capsys.readouterr().err and not (tmp_path / "new").exists()


def test_init_then_new_uses_the_shipped_template_of_the_source_language(tmp_path, capsys):
    from pipeline.cli import main

    require_tool("msgmerge")  # init starts the ui catalogs with `plainpress i18n update`
    site = tmp_path / "clinica"
    assert main(["init", str(site), "--organisation", "Clínica Sur",
                 "--source-locale", "es"]) == 0
    assert main(["-C", str(site), "new", "dolor-de-espalda"]) == 0
    assert "new-document.es.md (shipped with Plainpress)" in capsys.readouterr().out
    assert "## ¿Qué es?" in (site / "source/dolor-de-espalda.md").read_text("utf-8")
    assert 'organisation = "Clínica Sur"' in (site / "plainpress.toml").read_text("utf-8")
