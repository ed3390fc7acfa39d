package db.migration;

import dev.seqwatch.store.UserScoreBlockMigration;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/** Schema version 3: user scores as rank-ordered blocks, score generations (see {@link UserScoreBlockMigration}). */
public class V3__user_score_blocks extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws Exception {
        UserScoreBlockMigration.migrate(context.getConnection());
    }
}
