package dbtool.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Redaction#redactSql}: the password literals each engine's statements can hold, and the ordinary text they must leave alone. */
class SqlRedactionTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # PostgreSQL
            CREATE ROLE app LOGIN PASSWORD 'right-password'                      | CREATE ROLE app LOGIN PASSWORD '****'
            create role app with login encrypted password 'right-password' valid until 'infinity' | create role app with login encrypted password '****' valid until 'infinity'
            ALTER ROLE app PASSWORD E'it\\'s right-password'                      | ALTER ROLE app PASSWORD E'****'
            ALTER ROLE app PASSWORD 'it''s right-password'                       | ALTER ROLE app PASSWORD '****'
            ALTER ROLE app PASSWORD $$right-password$$                           | ALTER ROLE app PASSWORD $$****$$
            ALTER ROLE app PASSWORD $pw$right$$password$pw$ LOGIN                | ALTER ROLE app PASSWORD $pw$****$pw$ LOGIN
            ALTER ROLE app PASSWORD /* new */ 'right-password'                   | ALTER ROLE app PASSWORD /* new */ '****'
            ALTER ROLE app PassWord U&'right-password'                           | ALTER ROLE app PassWord U&'****'
            CREATE USER MAPPING FOR app SERVER s OPTIONS (user 'u', password 'right-password') | CREATE USER MAPPING FOR app SERVER s OPTIONS (user 'u', password '****')
            # MariaDB / MySQL
            CREATE USER 'app'@'%' IDENTIFIED BY 'right-password'                 | CREATE USER 'app'@'%' IDENTIFIED BY '****'
            ALTER USER app IDENTIFIED  by  "right-password"                      | ALTER USER app IDENTIFIED  by  "****"
            SET PASSWORD FOR 'app'@'%' = PASSWORD('right-password')              | SET PASSWORD FOR 'app'@'%' = PASSWORD('****')
            SET PASSWORD = 'right-password'                                      | SET PASSWORD = '****'
            ALTER USER app IDENTIFIED VIA ed25519 USING PASSWORD('right-password') | ALTER USER app IDENTIFIED VIA ed25519 USING PASSWORD('****')
            CREATE USER app IDENTIFIED WITH mysql_native_password BY 'right\\'password' | CREATE USER app IDENTIFIED WITH mysql_native_password BY '****'
            GRANT ALL ON *.* TO app IDENTIFIED BY PASSWORD '*94BDCEBE19083CE2A1F959FD02F964C7AF4CFC29' | GRANT ALL ON *.* TO app IDENTIFIED BY PASSWORD '****'
            # SQL Server
            CREATE LOGIN app WITH PASSWORD = 'right-password' MUST_CHANGE, CHECK_POLICY = ON | CREATE LOGIN app WITH PASSWORD = '****' MUST_CHANGE, CHECK_POLICY = ON
            ALTER LOGIN app WITH PASSWORD = N'right-password' OLD_PASSWORD = N'old-password' | ALTER LOGIN app WITH PASSWORD = N'****' OLD_PASSWORD = N'****'
            CREATE LOGIN app WITH PASSWORD = 0x0200A1B2C3 HASHED                 | CREATE LOGIN app WITH PASSWORD = **** HASHED
            OPEN SYMMETRIC KEY k DECRYPTION BY PASSWORD = 'right-password'       | OPEN SYMMETRIC KEY k DECRYPTION BY PASSWORD = '****'
            CREATE MASTER KEY ENCRYPTION BY PASSWORD = 'right-password'          | CREATE MASTER KEY ENCRYPTION BY PASSWORD = '****'
            EXEC sp_addlogin 'app', 'right-password', 'shop'                     | EXEC sp_addlogin 'app', '****', 'shop'
            EXEC sp_addlogin @loginame = 'app', @passwd = N'right-password'      | EXEC sp_addlogin @loginame = 'app', @passwd = N'****'
            EXEC sp_password 'old-password', 'right-password', 'app'             | EXEC sp_password '****', '****', 'app'
            EXEC sp_password NULL, 'right-password', 'app'                       | EXEC sp_password NULL, '****', 'app'
            CREATE DATABASE SCOPED CREDENTIAL c WITH IDENTITY = 'u', SECRET = 'right-password' | CREATE DATABASE SCOPED CREDENTIAL c WITH IDENTITY = 'u', SECRET = '****'
            # Snowflake
            CREATE USER app PASSWORD = 'right-password' DEFAULT_ROLE = r         | CREATE USER app PASSWORD = '****' DEFAULT_ROLE = r
            alter user app set password = 'right-password'                       | alter user app set password = '****'
            CREATE STAGE s URL='s3://b' CREDENTIALS=(AWS_KEY_ID='id' AWS_SECRET_KEY='right-password') | CREATE STAGE s URL='s3://b' CREDENTIALS=(AWS_KEY_ID='id' AWS_SECRET_KEY='****')
            # MongoDB currentOp commands
            {"createUser": "app", "pwd": "right-password", "roles": []}          | {"createUser": "app", "pwd": "****", "roles": []}
            {updateUser: 'app', pwd: 'right-password'}                           | {updateUser: 'app', pwd: '****'}
            # A secret column's values in an INSERT, where no keyword stands before the literal
            INSERT INTO users (name, password) VALUES ('ann', 'right-Tr0ub4dor')  | INSERT INTO users (name, password) VALUES ('ann', '****')
            insert into app.users("password_hash", name) values ('x1', 'ann'), ('x2', 'bob') | insert into app.users("password_hash", name) values ('x1', 'ann'), ('x2', 'bob')
            INSERT INTO users (user_password, name) VALUES (crypt('right-Tr0ub4dor', gen_salt('bf')), 'ann'), ('right-Tr0ub4dor', 'bob') | INSERT INTO users (user_password, name) VALUES (crypt('****', gen_salt('****')), 'ann'), ('****', 'bob')
            INSERT INTO `users` (`name`, `pwd`) VALUE ("ann", "right-Tr0ub4dor")  | INSERT INTO `users` (`name`, `pwd`) VALUE ("ann", "****")
            INSERT INTO [dbo].[logins] ([name], [secret]) VALUES (N'ann', N'right-Tr0ub4dor') | INSERT INTO [dbo].[logins] ([name], [secret]) VALUES (N'ann', N'****')
            INSERT INTO users (name, password) VALUES ($1, $2)                   | INSERT INTO users (name, password) VALUES ($1, $2)
            INSERT INTO users (name, password) SELECT name, 'x' FROM staged       | INSERT INTO users (name, password) SELECT name, 'x' FROM staged
            # Already masked, placeholders in dbtool's own advice
            CREATE ROLE app LOGIN PASSWORD '****'                                | CREATE ROLE app LOGIN PASSWORD '****'
            ALTER LOGIN [the login] WITH PASSWORD = '...' UNLOCK;                | ALTER LOGIN [the login] WITH PASSWORD = '...' UNLOCK;
            """)
    void masksThePasswordLiteral(String statement, String expected) {
        String masked = Redaction.redactSql(statement);
        assertEquals(expected, masked);
        assertFalse(masked.contains("right"), masked);
    }

    @Test
    void masksAcrossLinesCommentsAndRepeats() {
        String statement = "CREATE ROLE a\n  LOGIN\n  PASSWORD -- the first\n\t'first-secret';\nALTER ROLE b PASSWORD\r\n'second-secret'";
        assertEquals("CREATE ROLE a\n  LOGIN\n  PASSWORD -- the first\n\t'****';\nALTER ROLE b PASSWORD\r\n'****'",
                Redaction.redactSql(statement));
    }

    @Test
    void anUnterminatedLiteralIsMaskedToTheEnd() {
        assertEquals("ALTER ROLE a PASSWORD '****", Redaction.redactSql("ALTER ROLE a PASSWORD 'cut-by-the-server-at-1024"));
        assertEquals("ALTER ROLE a PASSWORD $$****", Redaction.redactSql("ALTER ROLE a PASSWORD $$cut-off"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT id FROM users WHERE password_hash = $1",
        "SELECT password, password_hash FROM users WHERE name = 'bob'",
        "UPDATE users SET password = $1, password_changed = now() WHERE id = $2",
        "UPDATE users SET password = ? WHERE id = ?",
        "SELECT name, setting FROM pg_settings WHERE name = 'password_encryption'",
        "SET password_encryption = 'scram-sha-256'",
        "ALTER ROLE app PASSWORD NULL",
        "SELECT 'identified' AS word, secret_santa FROM t WHERE x = 'y'",
        "db.orders.find({status: 'open', passwordless: true})",
        "",
        "caching_sha2_password",
        "PASSWORD",
        "sp_addlogin",
    })
    void leavesOrdinaryTextAlone(String text) {
        assertEquals(text, Redaction.redactSql(text));
    }

    @Test
    void nullStaysNull() {
        assertNull(Redaction.redactSql(null));
    }

    @Test
    void neverThrowsAndNeverHangsOnOddText() {
        Random random = new Random(13);
        String alphabet = "pPaAsSwWoOrRdD'\"$\\/*-=:(),@ \n\tEeNnUu&0x_identifiedBY";
        long start = System.nanoTime();
        for (int round = 0; round < 20_000; round++) {
            StringBuilder text = new StringBuilder();
            for (int i = random.nextInt(80); i > 0; i--) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            Redaction.redactSql(text.toString());
        }
        String longOne = "password ".repeat(20_000) + "'" + "x".repeat(100_000);
        assertTrue(Redaction.redactSql(longOne).endsWith("'****"));
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 10, "odd text takes seconds");
    }

    @Test
    void findingsSessionsAndPlansMaskWhatTheyAreGiven() {
        String statement = "CREATE ROLE app LOGIN PASSWORD 'right-password'";
        Finding finding = Finding.of("PG_TOP_STATEMENTS", Severity.INFO, "Top: " + statement).detail(statement)
                .evidence("byTotalTime", List.of(Map.of("query", statement, "calls", 1L)))
                .evidence("query", statement).evidence("calls", 3).evidence("none", null)
                .recommendation(statement).build();
        assertFalse(finding.toString().contains("right-password"), finding.toString());
        assertEquals("CREATE ROLE app LOGIN PASSWORD '****'", finding.evidence().get("query"));
        assertEquals(3, finding.evidence().get("calls"));
        assertTrue(finding.evidence().containsKey("none"));

        List<Object> untouched = List.of(Map.of("query", "SELECT 1"));
        assertTrue(Finding.of("X", Severity.INFO, "t").evidence("rows", untouched).build().evidence().get("rows") == untouched,
                "evidence without a secret is the plugin's own object");

        ActiveSession session = new ActiveSession("1", "u", "d", "a", null, "active", null, null, null, List.of(), 0, null, null,
                statement, List.of(), null, null);
        assertEquals("CREATE ROLE app LOGIN PASSWORD '****'", session.query());
        assertEquals(List.of("Utility Statement: ALTER ROLE x PASSWORD '****'"),
                QueryPlan.of(List.of("Utility Statement: ALTER ROLE x PASSWORD 'right-password'")).lines());
    }
}
