package dbtool.plugin.mssql;

import dbtool.toolkit.Values;
import java.util.Map;

/**
 * A session's {@code CONTEXT_INFO} (128 bytes an application sets with {@code SET CONTEXT_INFO}), read as text:
 * where applications that cannot change their statements put their W3C traceparent. The bytes are padded
 * with zeros, which are dropped. Queries select it as {@code CONVERT(varchar(128), s.context_info) AS context_info}.
 */
public final class ContextInfo {

    private ContextInfo() {
    }

    /** The row's {@code context_info} as text without its zero padding; empty when the session set none. */
    public static String text(Map<String, Object> row) {
        return Values.text(row, "context_info").replace("\0", "").strip();
    }
}
