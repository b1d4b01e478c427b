package dbtool.plugin.mssql;

/** The JDBC drivers the plugin can use, chosen per target with {@code "driver"} in its options. */
public enum DriverKind {
    /** jTDS 1.3.1, shipped with the plugin: pure Java, no TLS 1.2+, no Azure AD logins. */
    JTDS("jtds", "jTDS"),
    /** Microsoft's mssql-jdbc, which the user drops into the plugin's folder. */
    MSSQL_JDBC("mssql-jdbc", "mssql-jdbc");

    private final String optionValue;
    private final String displayName;

    DriverKind(String optionValue, String displayName) {
        this.optionValue = optionValue;
        this.displayName = displayName;
    }

    public String optionValue() {
        return optionValue;
    }

    public String displayName() {
        return displayName;
    }
}
