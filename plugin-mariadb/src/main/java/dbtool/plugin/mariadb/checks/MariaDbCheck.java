package dbtool.plugin.mariadb.checks;

import dbtool.plugin.mariadb.MariaDbSession;
import dbtool.spi.AbstractCheck;

/** What every MariaDB/MySQL check shares: the session type and where playbooks live. */
abstract class MariaDbCheck extends AbstractCheck<MariaDbSession> {

    MariaDbCheck(String id, String category, String description) {
        super(MariaDbSession.class, id, category, description);
    }

    static String playbook(String name) {
        return "docs/playbooks/" + name + ".md";
    }
}
