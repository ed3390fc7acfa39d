package dev.seqwatch.store;

import dev.seqwatch.common.UserFacingException;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.h2.mvstore.db.RowDataType;
import org.h2.mvstore.tx.VersionedValueType;
import org.h2.mvstore.type.LongDataType;
import org.h2.result.RowFactory;
import org.h2.result.SearchRow;
import org.h2.value.CompareMode;
import org.h2.value.TypeInfo;
import org.h2.value.Typed;
import org.h2.value.Value;
import org.h2.value.VersionedValue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a workspace file <em>before</em> H2's SQL engine opens it. When H2 opens a database it executes
 * every statement stored in the database's own schema table ({@code table.0}: one SQL text per object),
 * and some of those statements run code: a trigger's {@code create()} (Java source is compiled, a class
 * name is loaded and instantiated), source aliases, a {@code JAVA_OBJECT_SERIALIZER} setting, a linked
 * table's JDBC connection; a crafted file can hold any SQL text at all there. So a file from elsewhere
 * is read here with H2's MVStore layer alone, read-only (no SQL runs, the file is not changed), and every
 * stored statement must be one that Seqwatch's own migrations create (the list in
 * {@code db/schema-statements.txt}, checked by {@code SchemaStatementsTest} against freshly migrated
 * workspaces of every schema version), after generated names, password salt / hash and sequence
 * positions are blanked out. Anything else refuses the file, naming the first statement that is not ours.
 *
 * <p>The MVStore reader parses the file's chunk and page structure; a damaged or crafted structure makes
 * it throw, which refuses the file as damaged. Page lengths are bounded by the file itself.
 */
final class WorkspaceFileCheck {
    /** H2's {@code DbObject} type codes that a Seqwatch workspace holds. */
    private static final int TABLE = 0;
    private static final int INDEX = 1;
    private static final int USER = 2;
    private static final int SEQUENCE = 3;
    private static final int TRIGGER = 4;
    private static final int CONSTRAINT = 5;
    private static final int SETTING = 6;

    private static final Pattern GENERATED_NAME = Pattern.compile(
            "\"(CONSTRAINT_INDEX|CONSTRAINT|PRIMARY_KEY|SYSTEM_SEQUENCE)_[0-9A-Fa-f_]+\"");
    private static final Pattern USER_SECRET = Pattern.compile("SALT '[0-9a-f]{1,64}' HASH '[0-9a-f]{1,128}'");
    /** A sequence's current position (identity columns): {@code RESTART WITH n} appears once it moved. */
    private static final Pattern SEQUENCE_POSITION = Pattern.compile(" RESTART WITH -?[0-9]{1,19}");
    /**
     * A column's selectivity (0-100), written by H2 itself once it has analysed a table, which it does on its own
     * after enough rows changed (a large import); a plain number that changes nothing but the query planner's guess.
     */
    private static final Pattern COLUMN_SELECTIVITY = Pattern.compile(" SELECTIVITY [0-9]{1,3}(?=[\\s,)])");
    /** Settings whose values are plain numbers; none of them loads a class or runs anything. */
    private static final Pattern HARMLESS_SETTING = Pattern.compile(
            "SET (CREATE_BUILD|DB_CLOSE_DELAY|WRITE_DELAY|DEFAULT_LOCK_TIMEOUT|MAX_LENGTH_INPLACE_LOB|CACHE_SIZE) -?[0-9]{1,10}");
    private static final String RESOURCE = "/db/schema-statements.txt";
    private static volatile Set<String> known;

    private WorkspaceFileCheck() {
    }

    /** One stored schema statement: H2's object type code and its SQL. */
    record Statement(int type, String sql) {
        String normalised() {
            return type + " " + normalise(sql);
        }
    }

    /**
     * Refuses {@code file} unless every statement in its schema table is one of ours. Does nothing for a
     * file that is empty (H2 creates a database in it) or that another open connection of this process
     * holds locked (it was checked when this process opened it; another process's lock makes H2 refuse).
     */
    static void check(Path file) {
        if (!Files.isRegularFile(file)) {
            return;
        }
        try {
            if (Files.size(file) == 0) {
                return;
            }
        } catch (IOException e) {
            throw new UserFacingException("cannot read workspace " + file + ": " + e.getMessage(), e);
        }
        List<Statement> statements;
        try {
            statements = read(file);
        } catch (LockedException e) {
            return;
        }
        boolean ours = false;
        boolean anyTable = false;
        for (Statement s : statements) {
            if (s.type() == TABLE) {
                anyTable = true;
                ours |= s.sql().startsWith("CREATE CACHED TABLE \"PUBLIC\".\"WORKSPACE_META\"(");
            }
        }
        if (anyTable && !ours) {
            throw new UserFacingException(file + " is an H2 database of another program, not a Seqwatch workspace; nothing was changed");
        }
        Set<String> reference = known();
        for (Statement s : statements) {
            if (!acceptable(s, reference)) {
                throw new UserFacingException(file + " is not created by Seqwatch or was altered: it holds " + describe(s)
                        + " (" + abbreviate(s.sql()) + "); refused without using it, nothing was changed");
            }
        }
    }

    private static boolean acceptable(Statement s, Set<String> reference) {
        return switch (s.type()) {
            case SETTING -> HARMLESS_SETTING.matcher(s.sql()).matches();
            case USER -> normalise(s.sql()).equals("CREATE USER IF NOT EXISTS \"SEQWATCH\" SALT '' HASH '' ADMIN");
            case TABLE, INDEX, SEQUENCE, TRIGGER, CONSTRAINT -> reference.contains(s.normalised());
            default -> false;
        };
    }

    private static String describe(Statement s) {
        return switch (s.type()) {
            case TABLE -> s.sql().startsWith("CREATE CACHED TABLE") ? "a table Seqwatch does not create" : "a view or linked table";
            case INDEX -> "an index Seqwatch does not create";
            case USER -> "a database user Seqwatch does not create";
            case SEQUENCE -> "a sequence Seqwatch does not create";
            case TRIGGER -> "a trigger that is not Seqwatch's";
            case CONSTRAINT -> "a constraint Seqwatch does not create";
            case SETTING -> "a database setting Seqwatch does not use";
            case 8 -> "user-defined functions";
            case 13 -> "a user-defined aggregate";
            case 11 -> "a domain";
            case 9 -> "another schema";
            default -> "a schema object of type " + s.type() + " Seqwatch does not create";
        };
    }

    static String normalise(String sql) {
        String s = GENERATED_NAME.matcher(sql).replaceAll("\"$1_\"");
        s = USER_SECRET.matcher(s).replaceAll("SALT '' HASH ''");
        s = COLUMN_SELECTIVITY.matcher(s).replaceAll("");
        return SEQUENCE_POSITION.matcher(s).replaceAll("");
    }

    private static String abbreviate(String s) {
        String one = s.replaceAll("\\s+", " ");
        return one.length() > 160 ? one.substring(0, 160) + "..." : one;
    }

    /** The normalised statements of workspaces built by our own migrations, every schema version. */
    static Set<String> known() {
        Set<String> k = known;
        if (k == null) {
            try (InputStream in = WorkspaceFileCheck.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(RESOURCE + " is missing from the build");
                }
                k = new HashSet<>();
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    if (!line.isBlank()) {
                        k.add(unescape(line));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            known = k = Collections.unmodifiableSet(k);
        }
        return k;
    }

    /** One line of the resource: newlines and backslashes escaped. */
    static String escape(String normalised) {
        return normalised.replace("\\", "\\\\").replace("\n", "\\n");
    }

    private static String unescape(String line) {
        StringBuilder b = new StringBuilder(line.length());
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                char n = line.charAt(++i);
                b.append(n == 'n' ? '\n' : n);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** Every statement of {@code file}'s schema table, committed or not, in key order. */
    static List<Statement> read(Path file) {
        MVStore store;
        try {
            store = new MVStore.Builder().fileName(file.toString()).readOnly().open();
        } catch (MVStoreException e) {
            if (e.getErrorCode() == DataUtils.ERROR_FILE_LOCKED) {
                throw new LockedException();
            }
            throw damaged(file, e);
        } catch (RuntimeException e) {
            throw damaged(file, e);
        }
        try {
            if (!store.hasMap("table.0")) {
                throw new UserFacingException(file + " is not a Seqwatch workspace (or it is damaged): it has no schema table; nothing was changed");
            }
            // the schema table's columns: ID INT, HEAD INT, TYPE INT, SQL VARCHAR
            Typed[] columns = {TypeInfo.TYPE_INTEGER, TypeInfo.TYPE_INTEGER, TypeInfo.TYPE_INTEGER, TypeInfo.TYPE_VARCHAR};
            RowDataType rows = RowFactory.getDefaultRowFactory()
                    .createRowFactory(null, CompareMode.getInstance(null, 0), null, columns, null, false).getRowDataType();
            MVMap<Long, VersionedValue<SearchRow>> meta = store.openMap("table.0",
                    new MVMap.Builder<Long, VersionedValue<SearchRow>>().keyType(LongDataType.INSTANCE)
                            .valueType(new VersionedValueType<SearchRow, Object>(rows)));
            Set<Statement> out = new LinkedHashSet<>();
            for (VersionedValue<SearchRow> v : meta.values()) {
                add(out, v.getCommittedValue(), file);
                add(out, v.getCurrentValue(), file);
            }
            return new ArrayList<>(out);
        } catch (UserFacingException e) {
            throw e;
        } catch (RuntimeException e) {
            throw damaged(file, e);
        } finally {
            try {
                store.closeImmediately();
            } catch (RuntimeException ignored) {
                // read-only: nothing to write back
            }
        }
    }

    private static void add(Set<Statement> out, SearchRow row, Path file) {
        if (row == null) {
            return;
        }
        Value type = row.getValue(2);
        Value sql = row.getValue(3);
        if (type == null || sql == null || type.getValueType() != Value.INTEGER || sql.getValueType() != Value.VARCHAR) {
            throw new UserFacingException(file + " is not a Seqwatch workspace (or it is damaged): its schema table has a "
                    + "malformed row; nothing was changed");
        }
        out.add(new Statement(type.getInt(), sql.getString()));
    }

    private static UserFacingException damaged(Path file, RuntimeException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        if (nl >= 0) {
            m = m.substring(0, nl);
        }
        // MVStore messages carry chunk internals after the reason; keep the reason
        int bracket = m.indexOf(" [");
        if (bracket > 0) {
            m = m.substring(0, bracket);
        }
        if (m.length() > 200) {
            m = m.substring(0, 200) + "...";
        }
        return new UserFacingException(file + " is not a Seqwatch workspace (or it is damaged): " + m + "; nothing was changed", e);
    }

    /** The file is locked by an open database. */
    private static final class LockedException extends RuntimeException {
        LockedException() {
            super(null, null, false, false);
        }
    }
}
