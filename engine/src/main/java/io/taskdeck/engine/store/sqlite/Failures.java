package io.taskdeck.engine.store.sqlite;

import io.taskdeck.engine.store.StoreException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.nio.file.Path;
import java.sql.SQLException;

/** Turns SQLite's errors into {@link StoreException}s that name the file and say what went wrong. */
public final class Failures {

    private static final int SQLITE_IOERR = 10;
    private static final int SQLITE_CORRUPT = 11;
    private static final int SQLITE_FULL = 13;
    private static final int SQLITE_NOTADB = 26;
    private static final int SQLITE_BUSY = 5;
    private static final int SQLITE_NOMEM = 7;

    private Failures() {
    }

    public static RuntimeException translate(Path file, String action, Throwable error) {
        if (error instanceof StoreException se) {
            return se;
        }
        if (error instanceof SQLException sql) {
            return new StoreException(describe(file, action, sql), sql);
        }
        if (error instanceof RuntimeException re) {
            return re;
        }
        return new StoreException("could not " + action + " in the store " + file + ": " + error, error);
    }

    static int primaryCode(SQLException e) {
        int code = e instanceof SQLiteException se ? se.getResultCode().code : e.getErrorCode();
        return code & 0xff;
    }

    /** A unique or primary key constraint failed: a row with the same key is stored. */
    static boolean isPrimaryKeyViolation(SQLException e) {
        if (e instanceof SQLiteException se) {
            SQLiteErrorCode code = se.getResultCode();
            return code == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY || code == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE;
        }
        return false;
    }

    /** Errors after which SQLite may have rolled back the whole transaction, not just the statement. */
    static boolean undoesTransaction(SQLException e) {
        int code = primaryCode(e);
        return code == SQLITE_FULL || code == SQLITE_IOERR || code == SQLITE_CORRUPT || code == SQLITE_NOTADB
                || code == SQLITE_NOMEM || code == SQLITE_BUSY;
    }

    static String describe(Path file, String action, SQLException e) {
        String what = switch (primaryCode(e)) {
            case SQLITE_FULL -> "the disk is full (or the store reached its configured maximum size); "
                    + "nothing was written, free some space and try again";
            case SQLITE_IOERR -> "an I/O error happened (" + e.getMessage() + "); nothing was written";
            case SQLITE_CORRUPT -> "the file is damaged (" + e.getMessage() + ")";
            case SQLITE_NOTADB -> "the file is not a SQLite database";
            default -> e.getMessage();
        };
        return "could not " + action + " in the store " + file + ": " + what;
    }
}
