package dbtool.plugin.mssql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Parsing SQL Browser's SVR_RESP text ([MC-SQLR] 2.2.5), which lists every instance of a host. */
class SqlBrowserTest {

    static final String TWO_INSTANCES = "ServerName;DB01;InstanceName;MSSQLSERVER;IsClustered;No;Version;15.0.2000.5;tcp;1433;;"
            + "ServerName;DB01;InstanceName;SALES;IsClustered;No;Version;16.0.1000.6;tcp;50123;np;\\\\DB01\\pipe\\MSSQL$SALES\\sql\\query;;";

    @Test
    void findsTheNamedInstancesPortCaseInsensitively() throws IOException {
        assertEquals(50123, SqlBrowser.portIn(TWO_INSTANCES, "sales", "SQL Browser"));
        assertEquals(1433, SqlBrowser.portIn(TWO_INSTANCES, "MSSQLSERVER", "SQL Browser"));
    }

    @Test
    void anInstanceWithoutTcpIsAPlainError() {
        IOException e = assertThrows(IOException.class, () -> SqlBrowser.portIn(
                "ServerName;DB01;InstanceName;PIPES;IsClustered;No;Version;15.0.2000.5;np;\\\\DB01\\pipe\\sql\\query;;", "PIPES", "SQL Browser on DB01"));
        assertEquals("SQL Browser on DB01 knows instance PIPES but not a TCP port for it (TCP/IP is disabled for the instance)", e.getMessage());
    }
}
