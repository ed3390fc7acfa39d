package db.migration;

import dev.seqwatch.store.BlockStorageMigration;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/** Schema version 2: column-wise event and step-score blocks (see {@link BlockStorageMigration}). */
public class V2__event_blocks extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws Exception {
        BlockStorageMigration.migrate(context.getConnection());
    }
}
