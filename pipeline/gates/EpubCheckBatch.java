// Runs EPUBCheck on one EPUB after another in a single Java process (`epub_check.py`).
//
// Why: starting the JVM and compiling EPUBCheck's schemas costs about 3.5 s of CPU per book;
// in a process that stays up, every book after the first costs about 0.1 s. Java runs this
// file as it is (source-file mode: the compiler is in the runtime image), so nothing is built.
//
// Protocol: one line per book on standard input, `<epub path> TAB <json report path>`; for
// each, EPUBCheck's command-line entry point writes its JSON report (usage notes included) and
// this prints `done <exit status>` on standard output. EPUBCheck's own console output goes to
// standard error. End of input ends the process.
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import com.adobe.epubcheck.tool.EpubChecker;

public class EpubCheckBatch {
    public static void main(String[] args) throws Exception {
        PrintStream answers = new PrintStream(System.out, true, "UTF-8");
        System.setOut(System.err);
        BufferedReader requests = new BufferedReader(
            new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = requests.readLine()) != null) {
            String[] paths = line.split("\t", 2);
            int status;
            try {
                status = new EpubChecker().run(
                    new String[] {paths[0], "--usage", "--json", paths[1], "-q"});
            } catch (Throwable failure) {
                failure.printStackTrace();
                status = -1;
            }
            answers.println("done " + status);
        }
    }
}
