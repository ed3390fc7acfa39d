package dev.seqwatch.store;

import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.sequence.SequenceSet;
import dev.seqwatch.sequence.UserSequence;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BlockStoreTest {

    @Test
    void blockRoundTripKeepsEveryColumn() {
        String[] users = {"a", "b\u00e9\u4e2d"};
        int[] start = {0, 3, 4};
        long[] ts = {5_000, 4_000, Long.MAX_VALUE / 4, -86_400_000L};
        int[] act = {0, 1, 0, 1};
        int[] item = {-1, 0, 1, -1};
        int[] cat = {0, -1, 0, -1};
        double[] amt = {Double.NaN, 12.5, -0.0, 1e300};
        byte[] data = EventBlock.encode(users, start, ts, act, item, cat, amt,
                new String[]{"view", "buy"}, new String[]{"i1", "i2"}, new String[]{"c"});
        EventBlock b = EventBlock.decode(100, data, "test");
        assertThat(b.userIds).containsExactly(users);
        assertThat(b.userStart).containsExactly(start);
        assertThat(b.ts).containsExactly(ts);
        assertThat(b.action).containsExactly(act);
        assertThat(b.item).containsExactly(item);
        assertThat(b.category).containsExactly(cat);
        assertThat(Double.isNaN(b.amount[0])).isTrue();
        assertThat(Arrays.copyOfRange(b.amount, 1, 4)).containsExactly(12.5, -0.0, 1e300);
        assertThat(b.itemName(0)).isNull();
        assertThat(b.itemName(2)).isEqualTo("i2");
        assertThat(b.indexOf("b\u00e9\u4e2d")).isEqualTo(1);
        assertThat(b.indexOf("zz")).isEqualTo(-1);
        assertThat(EventBlock.decodeUsers(data, "test").ids()).containsExactly(users);
    }

    @Test
    void damagedBlocksAreReportedNotMisread() {
        byte[] data = EventBlock.encode(new String[]{"u"}, new int[]{0, 2}, new long[]{1, 2}, new int[]{0, 0},
                new int[]{-1, -1}, new int[]{-1, -1}, new double[]{Double.NaN, Double.NaN}, new String[]{"view"},
                new String[0], new String[0]);
        for (int cut = 0; cut < data.length; cut++) {
            byte[] truncated = Arrays.copyOf(data, cut);
            assertThatThrownBy(() -> EventBlock.decode(1, truncated, "block 7"))
                    .isInstanceOf(StoreException.class).hasMessageStartingWith("block 7: ");
        }
        byte[] bad = data.clone();
        bad[0] = 'X';
        assertThatThrownBy(() -> EventBlock.decode(1, bad, "block 7")).hasMessage("block 7: not an event block (bad magic)");
    }

    @Test
    void usersSplitAcrossFlushesAreMergedInTimeOrderWithContiguousIds(@TempDir Path dir) {
        Random rnd = new Random(3);
        List<Object[]> rows = new ArrayList<>();
        long t = 1_700_000_000_000L;
        for (int i = 0; i < 5_000; i++) {
            // out-of-order times within a user, many users, items/amounts sometimes missing
            rows.add(new Object[]{"user" + rnd.nextInt(300), t + rnd.nextInt(1_000_000), "a" + rnd.nextInt(5),
                    rnd.nextBoolean() ? null : "i" + rnd.nextInt(40), rnd.nextInt(4) == 0 ? null : "c" + rnd.nextInt(3),
                    rnd.nextBoolean() ? Double.NaN : rnd.nextInt(100) / 4.0});
        }
        try (Workspace ws = Workspace.open(dir.resolve("w"))) {
            ws.write(c -> {
                ImportDao dao = new ImportDao();
                dao.start(c, 1, "t.csv", "0".repeat(64), "csv", null, 1, false);
                EventBlockWriter w = new EventBlockWriter(c, 1, 1, 777); // several flushes
                for (Object[] r : rows) {
                    w.add((String) r[0], (Long) r[1], (String) r[2], (String) r[3], (String) r[4], (Double) r[5]);
                }
                long next = w.finish();
                assertThat(next).isEqualTo(5_001);
                dao.finish(c, 1, next - 1, 5_000, 5_000, 0, 0);
                return null;
            });
            SequenceSet all = ws.read(c -> new EventDao().loadAll(c, ProgressListener.NONE));
            assertThat(all.totalEvents()).isEqualTo(5_000);
            long events = ws.read(c -> new EventDao().countEvents(c));
            long users = ws.read(c -> new EventDao().countUsers(c));
            assertThat(events).isEqualTo(5_000);
            assertThat(users).isEqualTo(all.size());
            long[] ids = all.users().stream().flatMapToLong(u -> Arrays.stream(u.eventIds())).sorted().toArray();
            assertThat(ids[0]).isEqualTo(1);
            assertThat(ids[ids.length - 1]).isEqualTo(5_000);
            assertThat(Arrays.stream(ids).distinct().count()).isEqualTo(5_000);
            for (UserSequence u : all.users()) {
                List<Object[]> mine = rows.stream().filter(r -> r[0].equals(u.userId()))
                        .sorted((x, y) -> Long.compare((Long) x[1], (Long) y[1])).toList();
                assertThat(u.length()).isEqualTo(mine.size());
                for (int i = 0; i < u.length(); i++) {
                    assertThat(u.timestamp(i)).isEqualTo((Long) mine.get(i)[1]);
                    if (i > 0 && u.timestamp(i) != u.timestamp(i - 1)) {
                        assertThat(all.actionName(u.action(i))).isEqualTo(mine.get(i)[2]);
                    }
                }
            }
            SequenceSet one = ws.read(c -> new EventDao().loadUsers(c, List.of("user7", "nobody")));
            assertThat(one.size()).isEqualTo(1);
            assertThat(one.user("user7").length()).isEqualTo(all.user("user7").length());
        }
    }

    @Test
    void versionOneWorkspacesAreConvertedWithTheirStepScores(@TempDir Path dir) throws Exception {
        Path base = dir.resolve("old");
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + base.toAbsolutePath());
        ds.setUser("seqwatch");
        ds.setPassword("");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("1").load().migrate();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO import_batch (id, source_name, sha256, format, started_at, first_event_id, "
                    + "last_event_id, rows_read, rows_stored, status) VALUES (1, 'x.csv', '" + "0".repeat(64)
                    + "', 'csv', CURRENT_TIMESTAMP, 1, 4, 4, 4, 'DONE')");
            s.execute("INSERT INTO event VALUES (1, 1, 'zed', 3000, 'view', 'i1', NULL, NULL), "
                    + "(2, 1, 'amy', 1000, 'view', NULL, 'c1', 2.5), (3, 1, 'zed', 2000, 'buy', 'i2', NULL, 9.0), "
                    + "(4, 1, 'amy', 5000, 'pay', NULL, NULL, NULL)");
            s.execute("INSERT INTO model (detector, created_at, file, active) VALUES ('markov', CURRENT_TIMESTAMP, X'00', TRUE)");
            s.execute("INSERT INTO user_score VALUES (1, 'zed', 2.0, 1), (1, 'amy', 1.0, 2)");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO step_score VALUES (1, ?, ?, ?)")) {
                Object[][] steps = {{1L, 0.5, "view"}, {2L, null, null}, {3L, 4.0, "cart, view"}, {4L, 1.5, null}};
                for (Object[] st : steps) {
                    ps.setLong(1, (Long) st[0]);
                    ps.setObject(2, st[1]);
                    ps.setString(3, (String) st[2]);
                    ps.executeUpdate();
                }
            }
            s.execute("SHUTDOWN");
        }
        try (Workspace ws = Workspace.open(base)) {
            SequenceSet all = ws.read(c -> new EventDao().loadAll(c, ProgressListener.NONE));
            assertThat(all.user("zed").timestamps()).containsExactly(2000, 3000);
            assertThat(all.user("amy").timestamps()).containsExactly(1000, 5000);
            assertThat(all.user("amy").amount(0)).isEqualTo(2.5);
            assertThat(all.categoryName(all.user("amy").category(0))).isEqualTo("c1");
            assertThat(all.itemName(all.user("zed").item(0))).isEqualTo("i2");
            List<ScoreDao.StepScoreRow> zed = ws.read(c -> new ScoreDao().stepScores(c, 1, "zed"));
            // zed's steps in time order: the old event 3 (buy, 4.0) then the old event 1 (view, 0.5)
            assertThat(zed).extracting(ScoreDao.StepScoreRow::score).containsExactly(4.0, 0.5);
            assertThat(zed).extracting(ScoreDao.StepScoreRow::expected).containsExactly("cart, view", "view");
            List<ScoreDao.StepScoreRow> amy = ws.read(c -> new ScoreDao().stepScores(c, 1, "amy"));
            assertThat(amy).extracting(ScoreDao.StepScoreRow::score).containsExactly(1.5);
            List<ScoreDao.UserScoreRow> us = ws.read(c -> new ScoreDao().userScores(c, 1));
            long next = ws.read(c -> new ImportDao().nextEventId(c));
            assertThat(us).hasSize(2); // through V2 and V3: user_score rows became a user-score block
            assertThat(us).extracting(ScoreDao.UserScoreRow::userId).containsExactly("zed", "amy");
            assertThat(us).extracting(ScoreDao.UserScoreRow::score).containsExactly(2.0, 1.0);
            assertThat(next).isEqualTo(5);
        }
    }
}
