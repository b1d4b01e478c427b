package dbtool.core.cli;

import dbtool.core.report.Report;
import java.util.List;
import java.util.ServiceLoader;

/**
 * What {@code dbtool troubleshoot --notify} hands its reports to: a first-party feature module on the
 * boot layer (dbtool.triage) that classifies them, keeps them as incidents and notifies the receivers
 * its routes name. Core imports no feature module; without one, {@code --notify} is a configuration error.
 */
public interface ReportNotifier {

    /**
     * Triage for the reports of one run (one per target).
     *
     * @return one line per notification sent, held back or failed, for standard error; never a secret
     */
    List<String> notify(List<Report> reports, CommandContext context);

    /** The notifier installed beside core, if any. */
    static ReportNotifier installed() {
        return ServiceLoader.load(ReportNotifier.class).findFirst().orElse(null);
    }
}
