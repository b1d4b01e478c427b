package dbtool.testkit;

/** What a finished process printed and returned. */
public record ProcessResult(int exitCode, String stdout, String stderr) {

    /** Both streams, for assertion messages. */
    public String describe() {
        return "exit " + exitCode + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
    }
}
