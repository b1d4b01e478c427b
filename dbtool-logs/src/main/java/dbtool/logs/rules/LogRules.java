package dbtool.logs.rules;

import dbtool.logs.read.LogEntry;
import dbtool.logs.read.LogFormat;
import dbtool.spi.Finding;
import java.util.List;

/** An engine's rules: from entries to causes (findings), and which entries are known-benign noise. */
public interface LogRules {

    /** Reads one entry; rules keep only counts and a few examples, so memory stays flat. */
    void accept(LogEntry entry);

    /** Routine entries (connection authorized, checkpoint complete) that are collapsed, not dropped. */
    boolean benign(LogEntry entry);

    /** The causes found, worst first. */
    List<Finding> findings();

    static LogRules forFormat(LogFormat format) {
        return switch (format) {
            case POSTGRES, POSTGRES_CSV, POSTGRES_JSON -> new PostgresRules();
            case SQLSERVER -> new SqlServerRules();
            case MONGODB -> new MongoRules();
            case SNOWFLAKE -> new SnowflakeRules();
            case MESSAGE -> new GenericRules();
        };
    }
}
