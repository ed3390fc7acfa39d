package dev.seqwatch.store;

import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.sequence.SequenceSet;
import dev.seqwatch.sequence.SequenceSetBuilder;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads stored events (of finished imports only). Events live in {@link EventBlock}s: one metadata
 * row per block ({@code event_block}: id range, user range) and its bytes ({@code event_block_data}).
 */
public final class EventDao {

    /** A stored block: its events have ids {@code [firstEventId, firstEventId + events)}. */
    public record BlockRef(int importId, int blockNo, long firstEventId, int events, int users, String minUser,
                           String maxUser) {
        public boolean mayContain(String userId) {
            return minUser.compareTo(userId) <= 0 && maxUser.compareTo(userId) >= 0;
        }

        /** Whether any of the (sorted) users falls into this block's user range. */
        public boolean mayContainAny(TreeSet<String> sortedUsers) {
            String first = sortedUsers.ceiling(minUser);
            return first != null && first.compareTo(maxUser) <= 0;
        }

        String where() {
            return "event block " + blockNo + " of import " + importId;
        }
    }

    /** The blocks of finished imports, in import and block order (so in event id order). */
    public List<BlockRef> blocks(Connection c) throws SQLException {
        List<BlockRef> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT b.import_id, b.block_no, b.first_event_id, b.n_events, "
                + "b.n_users, b.min_user, b.max_user FROM event_block b JOIN import_batch i ON i.id = b.import_id "
                + "WHERE i.status = 'DONE' ORDER BY b.import_id, b.block_no");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new BlockRef(rs.getInt(1), rs.getInt(2), rs.getLong(3), rs.getInt(4), rs.getInt(5),
                        rs.getString(6), rs.getString(7)));
            }
        }
        return out;
    }

    public EventBlock block(Connection c, BlockRef r) throws SQLException {
        return EventBlock.decode(r.firstEventId(), bytes(c, r), r.where());
    }

    /** The users of a block without decoding its events. */
    public EventBlock.Users blockUsers(Connection c, BlockRef r) throws SQLException {
        return EventBlock.decodeUsers(bytes(c, r), r.where());
    }

    private static byte[] bytes(Connection c, BlockRef r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT data FROM event_block_data WHERE import_id = ? AND block_no = ?")) {
            ps.setInt(1, r.importId());
            ps.setInt(2, r.blockNo());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new StoreException(r.where() + " has no data: the workspace is damaged");
                }
                return rs.getBytes(1);
            }
        }
    }

    public long countEvents(Connection c) throws SQLException {
        return ImportDao.single(c, "SELECT COALESCE(SUM(b.n_events), 0) FROM event_block b JOIN import_batch i "
                + "ON i.id = b.import_id WHERE i.status = 'DONE'");
    }

    /** Distinct users with events (reads the user tables of the blocks, not their events). */
    public long countUsers(Connection c) throws SQLException {
        List<BlockRef> blocks = blocks(c);
        if (blocks.size() == 1) {
            return blocks.get(0).users();
        }
        Set<String> users = new HashSet<>();
        for (BlockRef b : blocks) {
            for (String u : blockUsers(c, b).ids()) {
                users.add(u);
            }
        }
        return users.size();
    }

    /**
     * How many events each user has, from the user tables of the blocks (their events are not decoded);
     * a user whose events span several imports is summed.
     */
    public java.util.Map<String, Integer> eventsPerUser(Connection c) throws SQLException {
        java.util.Map<String, Integer> out = new java.util.HashMap<>();
        for (BlockRef b : blocks(c)) {
            EventBlock.Users u = blockUsers(c, b);
            for (int i = 0; i < u.ids().length; i++) {
                out.merge(u.ids()[i], u.start()[i + 1] - u.start()[i], Integer::sum);
            }
        }
        return out;
    }

    /** Every user's sequence. */
    public SequenceSet loadAll(Connection c, ProgressListener p) throws SQLException {
        List<BlockRef> blocks = blocks(c);
        long total = Math.max(1, blocks.stream().mapToLong(BlockRef::events).sum());
        SequenceSetBuilder b = new SequenceSetBuilder();
        long done = 0;
        for (BlockRef r : blocks) {
            p.checkCancelled();
            EventBlock blk = block(c, r);
            for (int u = 0; u < blk.users(); u++) {
                addUser(b, blk, u);
            }
            done += r.events();
            p.progress((double) done / total, "loading events " + done + " / " + total);
        }
        return b.build();
    }

    /** The sequences of the given users only (users without events are absent). */
    public SequenceSet loadUsers(Connection c, Collection<String> userIds) throws SQLException {
        SequenceSetBuilder b = new SequenceSetBuilder();
        TreeSet<String> wanted = new TreeSet<>(userIds);
        if (wanted.isEmpty()) {
            return b.build();
        }
        for (BlockRef r : blocks(c)) {
            if (!r.mayContainAny(wanted)) {
                continue;
            }
            EventBlock blk = block(c, r);
            for (String u : wanted.subSet(r.minUser(), true, r.maxUser(), true)) {
                int i = blk.indexOf(u);
                if (i >= 0) {
                    addUser(b, blk, i);
                }
            }
        }
        return b.build();
    }

    private static void addUser(SequenceSetBuilder b, EventBlock blk, int u) {
        String id = blk.userIds[u];
        for (int k = blk.userStart[u]; k < blk.userStart[u + 1]; k++) {
            b.add(blk.firstEventId + k, id, blk.ts[k], blk.actionNames[blk.action[k]], blk.itemName(k),
                    blk.categoryName(k), blk.amount[k]);
        }
    }
}
