package dev.gatehouse.jdbc;

import dev.gatehouse.jdbc.guard.StatementGuardFactory;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The guard factories on the class path, found once. Without one the driver refuses to connect: a Gatehouse
 * URL that silently ran unguarded would be the worst failure this product can have.
 *
 * <p>Threads: any; the list is built once under the class-initialisation lock.
 */
final class GuardFactories {
    private GuardFactories() {
    }

    private static final class Found {
        static final List<StatementGuardFactory> ALL = load();

        private static List<StatementGuardFactory> load() {
            List<StatementGuardFactory> all = new ArrayList<>();
            for (StatementGuardFactory f : ServiceLoader.load(StatementGuardFactory.class,
                    GuardFactories.class.getClassLoader())) {
                all.add(f);
            }
            return List.copyOf(all);
        }
    }

    /** The production guard's name: the default whenever a policy file is given. */
    static final String POLICY = "policy";

    static StatementGuardFactory find(String name, boolean policyGiven) throws SQLException {
        List<StatementGuardFactory> all = Found.ALL;
        if (name == null && policyGiven) {
            name = POLICY;
        }
        if (name == null) {
            if (all.size() == 1) {
                return all.getFirst();
            }
            throw new SQLException(all.isEmpty()
                    ? "gatehouse: no policy engine on the class path (no StatementGuardFactory); refusing to connect"
                    : "gatehouse: several guards on the class path " + names(all) + "; choose one with gatehouse.guard",
                    GatehouseSqlState.GUARD_FAILED);
        }
        for (StatementGuardFactory f : all) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        throw new SQLException("gatehouse: no guard named '" + name + "' (found " + names(all) + ")",
                GatehouseSqlState.BAD_SETTING);
    }

    private static List<String> names(List<StatementGuardFactory> all) {
        List<String> names = new ArrayList<>();
        for (StatementGuardFactory f : all) {
            names.add(f.name());
        }
        return names;
    }
}
