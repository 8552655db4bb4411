package dev.gatehouse.sql.analysis;

import java.util.Set;

/** One table a statement touches and every way it does. */
public record TableAccess(TableName table, Set<TableUse> uses) {
    public TableAccess {
        uses = Set.copyOf(uses);
    }
}
