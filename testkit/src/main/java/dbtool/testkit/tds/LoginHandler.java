package dbtool.testkit.tds;

/**
 * Answers a LOGIN7 the way SQL Server does: LOGINACK with the database, packet size and collation
 * changes on success; error 18456 (class 14) for an unknown login or a wrong password, giving
 * the client no hint which of the two it was; 4060 followed by 18456 for a database that does not
 * exist; 18452 for a Windows (integrated) login, which this responder cannot verify; or the errors
 * a scenario stages with {@link TdsScenario#refuseLogin}.
 */
final class LoginHandler {

    /** SQL Server's answer to a TDS 7.1 login ("SQL Server 2000" protocol), which jTDS 1.3.1 uses. */
    static final int TDS_71 = 0x71000001;
    /** The newest version this responder speaks; later clients are answered with it. */
    static final int TDS_74 = 0x74000004;

    private final TdsScenario scenario;

    LoginHandler(TdsScenario scenario) {
        this.scenario = scenario;
    }

    /** The TDS version both sides will speak. */
    static int negotiated(Login7 login) {
        return Integer.compareUnsigned(login.tdsVersion(), TDS_74) > 0 ? TDS_74 : login.tdsVersion();
    }

    /** The reply tokens; {@code accepted[0]} tells whether the session may go on. */
    byte[] answer(Login7 login, boolean[] accepted) {
        int version = negotiated(login);
        TokenWriter reply = new TokenWriter(version);
        String server = scenario.serverName();
        String user = login.userName();
        if (login.integratedSecurity()) {
            accepted[0] = false;
            return reply.error(18452, 1, 14, "Login failed. The login is from an untrusted domain and cannot be used with Integrated authentication.", server)
                    .done(TokenWriter.DONE_ERROR, 0).bytes();
        }
        if (!scenario.loginErrors().isEmpty()) {
            accepted[0] = false;
            scenario.loginErrors().forEach(error -> reply.error(error.number(), error.state(), error.severity(), error.message(), server));
            return reply.done(TokenWriter.DONE_ERROR, 0).bytes();
        }
        String expected = scenario.passwordOf(user);
        if (expected == null || !expected.equals(login.password())) {
            accepted[0] = false;
            return reply.error(18456, 1, 14, "Login failed for user '" + user + "'.", server).done(TokenWriter.DONE_ERROR, 0).bytes();
        }
        String database = login.database().isEmpty() ? "master" : login.database();
        if (!scenario.hasDatabase(database)) {
            accepted[0] = false;
            return reply.error(4060, 1, 11, "Cannot open database \"" + database + "\" requested by the login. The login failed.", server)
                    .error(18456, 1, 14, "Login failed for user '" + user + "'.", server)
                    .done(TokenWriter.DONE_ERROR, 0).bytes();
        }
        accepted[0] = true;
        int[] v = scenario.version();
        return reply.databaseChanged(database, "master")
                .info(5701, 2, "Changed database context to '" + database + "'.", server)
                .collation()
                .loginAck(version, "Microsoft SQL Server", v[0], v[1], v[2])
                .packetSizeChanged(packetSize(login))
                .done(0, 0).bytes();
    }

    static int packetSize(Login7 login) {
        return login.packetSize() >= 512 && login.packetSize() <= 32767 ? login.packetSize() : 4096;
    }
}
