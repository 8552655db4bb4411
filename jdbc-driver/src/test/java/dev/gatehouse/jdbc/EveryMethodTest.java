package dev.gatehouse.jdbc;

import dev.gatehouse.enforce.guard.Execution;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.sql.Array;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.sql.Types;
import java.sql.Wrapper;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Enumerates, by reflection, every method of the java.sql interfaces the driver hands out that takes SQL text,
 * runs a statement, or returns a JDBC object, and proves on the real PostgreSQL that each is intercepted: SQL
 * carrying a denied marker is refused with 42501 after the guard saw that exact text (nothing reaches the
 * database), and every JDBC object returned is a Gatehouse wrapper. A method added to java.sql in a later JDK
 * is picked up by the same rules. Every method is implemented, and what leads back to the real driver is the
 * driver's own code; the rest passes through generated bases, which {@link PassThroughTest} shows only delegate.
 */
class EveryMethodTest {
    private static final String DENIED = "reflect_denied";
    private static final Set<String> TAKES_SQL = Set.of("execute", "executeQuery", "executeUpdate",
            "executeLargeUpdate", "addBatch", "prepareStatement", "prepareCall", "nativeSQL");
    private static final Set<String> RUNS_STATEMENT = Set.of("execute", "executeQuery", "executeUpdate",
            "executeLargeUpdate", "executeBatch", "executeLargeBatch");
    private static final Set<Class<?>> JDBC_OBJECTS = Set.of(Connection.class, Statement.class,
            PreparedStatement.class, CallableStatement.class, ResultSet.class, DatabaseMetaData.class, Array.class);
    private static final List<Class<?>> SUBJECTS = List.of(Connection.class, Statement.class, PreparedStatement.class,
            CallableStatement.class, DatabaseMetaData.class, ResultSet.class, Array.class);
    private static final String READY_QUERY = "SELECT 1 AS one, ARRAY[1,2] AS arr";

    private static Scenario scenario;
    /** Methods whose returned object was checked, and those the real driver refused in that state. */
    private static final java.util.concurrent.atomic.AtomicInteger wrapped = new java.util.concurrent.atomic.AtomicInteger();
    private static final List<String> refusedByRealDriver = new java.util.concurrent.CopyOnWriteArrayList<>();
    private static Connection connection;

    @BeforeAll
    static void open() throws SQLException {
        scenario = new Scenario().deny(DENIED, "reflect-rule");
        connection = DriverManager.getConnection(scenario.url(Databases.PG));
    }

    @AfterAll
    static void close() throws SQLException {
        connection.close();
        // The refusal path must stay the exception (pgjdbc 42.7: query-string methods on prepared statements,
        // column-index keys, four metadata calls it does not implement, named out parameters): most methods
        // have to hand out an object to check.
        assertTrue(refusedByRealDriver.size() <= 11, "refused by pgjdbc: " + refusedByRealDriver);
        assertTrue(wrapped.get() >= 56, "only " + wrapped.get() + " returned objects checked");
    }

    @TestFactory
    List<DynamicTest> everyMethodThatTakesSqlRunsAStatementOrReturnsAJdbcObject() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Class<?> subject : SUBJECTS) {
            Method[] methods = subject.getMethods();
            java.util.Arrays.sort(methods, Comparator.comparing(Method::toGenericString));
            for (Method m : methods) {
                boolean takesSql = m.getParameterCount() > 0 && m.getParameterTypes()[0] == String.class
                        && TAKES_SQL.contains(m.getName());
                boolean runs = m.getParameterCount() == 0 && RUNS_STATEMENT.contains(m.getName());
                boolean returnsJdbc = JDBC_OBJECTS.contains(m.getReturnType());
                if (!takesSql && !runs && !returnsJdbc) {
                    continue;
                }
                String name = subject.getSimpleName() + "." + m.getName() + signature(m);
                tests.add(DynamicTest.dynamicTest(name, () -> {
                    if (takesSql) {
                        provesSqlIsIntercepted(subject, m);
                    }
                    if (runs) {
                        provesRunIsIntercepted(subject, m);
                    }
                    if (returnsJdbc) {
                        provesReturnedObjectIsWrapped(subject, m, takesSql);
                    }
                }));
            }
        }
        // Guards the enumeration itself: java.sql has over a hundred (116 in JDK 25) such methods across these interfaces.
        assertTrue(tests.size() >= 110, "only " + tests.size() + " methods enumerated");
        return tests;
    }

    /**
     * Every method of each interface has an implementation in the class the driver hands out (one missing
     * would be an AbstractMethodError; an interface default left alone only calls the wrapper's own methods),
     * and every method that hands out a JDBC object or unwraps is the driver's own code, never a generated
     * pass-through.
     */
    @TestFactory
    List<DynamicTest> everyMethodIsImplementedAndWhatLeadsBackIsTheDriversOwn() throws SQLException {
        List<DynamicTest> tests = new ArrayList<>();
        for (var subject : wrapperClasses(connection).entrySet()) {
            Class<?> iface = subject.getKey();
            Class<?> wrapper = subject.getValue();
            tests.add(DynamicTest.dynamicTest(wrapper.getSimpleName() + " implements " + iface.getSimpleName(), () -> {
                List<String> wrong = new ArrayList<>();
                for (Method m : iface.getMethods()) {
                    if (Modifier.isStatic(m.getModifiers())) {
                        continue;
                    }
                    Class<?> implementer = implementer(wrapper, m);
                    boolean leadsBack = JDBC_OBJECTS.contains(m.getReturnType()) || m.getDeclaringClass() == Wrapper.class;
                    if (implementer == null && !m.isDefault()) {
                        wrong.add("not implemented: " + m);
                    } else if (leadsBack && (implementer == null || implementer.getSimpleName().endsWith("PassThrough"))) {
                        wrong.add("passed through: " + m + " (" + implementer + ")");
                    }
                }
                assertEquals(List.of(), wrong);
            }));
        }
        return tests;
    }

    /** The class nearest the wrapper that declares the method itself (javac's bridges aside), or null. */
    private static Class<?> implementer(Class<?> wrapper, Method m) {
        for (Class<?> c = wrapper; c != null; c = c.getSuperclass()) {
            try {
                if (!c.getDeclaredMethod(m.getName(), m.getParameterTypes()).isSynthetic()) {
                    return c;
                }
            } catch (NoSuchMethodException e) {
                // declared further up, or not at all
            }
        }
        return null;
    }

    /** The class the driver hands out for each interface, read off live objects. */
    static Map<Class<?>, Class<?>> wrapperClasses(Connection connection) throws SQLException {
        Map<Class<?>, Class<?>> classes = new LinkedHashMap<>();
        classes.put(Connection.class, connection.getClass());
        try (Statement st = connection.createStatement();
             PreparedStatement ps = connection.prepareStatement("SELECT 1");
             CallableStatement cs = connection.prepareCall("SELECT 1")) {
            classes.put(Statement.class, st.getClass());
            classes.put(PreparedStatement.class, ps.getClass());
            classes.put(CallableStatement.class, cs.getClass());
            classes.put(DatabaseMetaData.class, connection.getMetaData().getClass());
            ResultSet rs = st.executeQuery(READY_QUERY);
            rs.next();
            classes.put(ResultSet.class, rs.getClass());
            classes.put(Array.class, rs.getArray("arr").getClass());
        }
        return classes;
    }

    private static void provesSqlIsIntercepted(Class<?> subject, Method m) throws Exception {
        String sql = "SELECT 1 AS one /* " + DENIED + " " + m.getName() + signature(m) + " */";
        Object target = ready(subject);
        Object[] args = arguments(subject, m, sql);
        if (m.getName().startsWith("prepare")) {
            Object prepared;
            try {
                prepared = m.invoke(target, args);
            } catch (InvocationTargetException e) {
                // pgjdbc refuses some variants for a SELECT (column-index keys); the guard had seen it first.
                assertRealDriverRefused(e, m);
                assertTrue(seen(scenario.prepared, sql), "the guard classified it at prepare");
                return;
            }
            assertTrue(seen(scenario.prepared, sql), "the guard classified it at prepare");
            assertWrapper(prepared);
            expectDenied(() -> ((PreparedStatement) prepared).execute(), sql);
            return;
        }
        if (m.getName().equals("nativeSQL")) {
            assertInstanceOf(String.class, m.invoke(target, args));
            assertTrue(seen(scenario.prepared, sql), "the guard classified it");
            return;
        }
        if (m.getName().equals("addBatch")) {
            try {
                m.invoke(target, args);
            } catch (InvocationTargetException e) {
                assertRealDriverRefused(e, m);
                return;
            }
            expectDenied(() -> ((Statement) target).executeBatch(), sql);
            return;
        }
        expectDenied(() -> {
            try {
                m.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }, sql);
    }

    private static void provesRunIsIntercepted(Class<?> subject, Method m) throws Exception {
        if (subject == Statement.class) {
            Statement st = connection.createStatement();
            String sql = "SELECT 1 /* " + DENIED + " batch */";
            if (m.getName().contains("Batch")) {
                st.addBatch(sql);
                expectDenied(() -> invoke(m, st), sql);
            }
            return; // Statement's other no-argument methods are not among RUNS_STATEMENT's zero-argument forms
        }
        String sql = "SELECT abs(?) AS one /* " + DENIED + " " + subject.getSimpleName() + "." + m.getName() + " */";
        PreparedStatement ps = subject == CallableStatement.class ? connection.prepareCall(sql) : connection.prepareStatement(sql);
        ps.setInt(1, -1);
        if (m.getName().contains("Batch")) {
            ps.addBatch();
        }
        expectDenied(() -> invoke(m, ps), sql);
    }

    private static void provesReturnedObjectIsWrapped(Class<?> subject, Method m, boolean takesSql) throws Exception {
        boolean outParameter = subject == CallableStatement.class && m.getDeclaringClass() == CallableStatement.class;
        Object target = ready(subject, outParameter);
        String sql = takesSql ? READY_QUERY : null;
        Object result;
        try {
            result = m.invoke(target, arguments(subject, m, sql));
        } catch (InvocationTargetException e) {
            assertRealDriverRefused(e, m);
            return;
        }
        assertNotNull(result, m + " returned null in a state where the real driver returns an object");
        assertWrapper(result);
        wrapped.incrementAndGet();
    }

    /** Only the real driver's own "not supported": it never hands out anything then. */
    private static void assertRealDriverRefused(InvocationTargetException e, Method m) {
        refusedByRealDriver.add(m.getDeclaringClass().getSimpleName() + "." + m.getName() + signature(m));
        if (!(e.getCause() instanceof SQLFeatureNotSupportedException) && !isPgjdbcRefusal(e.getCause())) {
            fail(m + " failed unexpectedly", e.getCause());
        }
    }

    private static boolean isPgjdbcRefusal(Throwable t) {
        // pgjdbc refuses query-string methods on a PreparedStatement (42809, wrong object type) and some
        // generated-key variants (0A000, not supported): it returns nothing then.
        return t instanceof SQLException s && ("42809".equals(s.getSQLState()) || "0A000".equals(s.getSQLState()));
    }

    private static void assertWrapper(Object o) {
        assertTrue(o.getClass().getName().startsWith("dev.gatehouse.jdbc.wrap."), o.getClass().getName() + " escaped");
    }

    interface Call {
        void run() throws Throwable;
    }

    private static void expectDenied(Call call, String sql) throws SQLException {
        try {
            call.run();
            fail("not denied: " + sql);
        } catch (SQLException e) {
            assertEquals("42501", e.getSQLState(), e.getMessage());
            assertTrue(e.getMessage().contains("reflect-rule"), e.getMessage());
        } catch (Throwable t) {
            fail(t);
        }
        assertTrue(seen(scenario.checked, sql), "the guard saw " + sql);
    }

    private static void invoke(Method m, Object target) throws Throwable {
        try {
            m.invoke(target);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** The guard sees what pgjdbc sends: a prepared statement's {@code ?} as {@code $n}. */
    private static boolean seen(java.util.Queue<Execution> executions, String sql) throws SQLException {
        String sent = org.postgresql.core.Parser.parseJdbcSql(sql, true, true, true, false, false).get(0).nativeSql;
        for (Execution e : executions) {
            if (e.sql().equals(sql) || e.sql().equals(sent)) {
                return true;
            }
        }
        return false;
    }

    /** A fresh object of the subject type, in a state where its getters have something to return. */
    private static Object ready(Class<?> subject) throws SQLException {
        return ready(subject, false);
    }

    /** @param outParameters for a CallableStatement: one called with a registered (array) out parameter */
    private static Object ready(Class<?> subject, boolean outParameters) throws SQLException {
        if (subject == Connection.class) {
            return connection;
        }
        if (subject == Statement.class) {
            Statement st = connection.createStatement();
            st.execute(READY_QUERY);
            return st;
        }
        if (subject == PreparedStatement.class) {
            PreparedStatement ps = connection.prepareStatement("SELECT ?::int AS one, ARRAY[1,2] AS arr");
            ps.setInt(1, 1);
            ps.execute();
            return ps;
        }
        if (subject == CallableStatement.class && !outParameters) {
            CallableStatement cs = connection.prepareCall("SELECT ?::int AS one, ARRAY[1,2] AS arr");
            cs.setInt(1, 1);
            cs.execute();
            return cs;
        }
        if (subject == CallableStatement.class) {
            CallableStatement cs = connection.prepareCall("{? = call array_append(?::int4[], 3)}");
            cs.registerOutParameter(1, Types.ARRAY);
            cs.setArray(2, connection.createArrayOf("int4", new Integer[] {1, 2}));
            cs.execute();
            return cs;
        }
        if (subject == DatabaseMetaData.class) {
            return connection.getMetaData();
        }
        ResultSet rs = connection.createStatement().executeQuery(READY_QUERY);
        rs.next();
        if (subject == ResultSet.class) {
            return rs;
        }
        return rs.getArray("arr");
    }

    private static Object[] arguments(Class<?> subject, Method m, String sql) {
        Class<?>[] types = m.getParameterTypes();
        Object[] args = new Object[types.length];
        int intsSeen = 0;
        for (int i = 0; i < types.length; i++) {
            Class<?> t = types[i];
            if (t == String.class) {
                args[i] = i == 0 && sql != null ? sql : stringFor(subject, m, i);
            } else if (t == int.class) {
                args[i] = intFor(subject, m, intsSeen++);
            } else if (t == long.class) {
                args[i] = 1L;
            } else if (t == boolean.class) {
                args[i] = false;
            } else if (t == int[].class) {
                args[i] = subject == DatabaseMetaData.class ? null : new int[] {1};
            } else if (t == String[].class) {
                args[i] = subject == DatabaseMetaData.class ? null : new String[] {"one"};
            } else if (t == Object[].class) {
                args[i] = new Integer[] {1};
            } else if (t == Map.class) {
                args[i] = Map.of();
            } else if (t == Class.class) {
                args[i] = Object.class;
            } else {
                args[i] = null;
            }
        }
        return args;
    }

    private static String stringFor(Class<?> subject, Method m, int position) {
        if (subject == ResultSet.class) {
            return "arr";
        }
        if (subject == DatabaseMetaData.class) {
            // (catalog, schema, table) triples: a real table, since some metadata calls require one.
            return switch (position % 3) {
                case 1 -> "pg_catalog";
                case 2 -> "pg_class";
                default -> null;
            };
        }
        if (subject == Connection.class && m.getName().equals("createArrayOf")) {
            return "int4";
        }
        return null;
    }

    private static int intFor(Class<?> subject, Method m, int position) {
        if (subject == ResultSet.class) {
            return 2;
        }
        if (subject == CallableStatement.class && m.getName().startsWith("get")) {
            return 1;
        }
        if (subject == DatabaseMetaData.class) {
            return 0;
        }
        if (subject == Array.class) {
            return 1;
        }
        int ints = 0;
        for (Class<?> t : m.getParameterTypes()) {
            if (t == int.class) {
                ints++;
            }
        }
        if (ints == 1) {
            return Statement.RETURN_GENERATED_KEYS;
        }
        return switch (position) {
            case 0 -> ResultSet.TYPE_FORWARD_ONLY;
            case 1 -> ResultSet.CONCUR_READ_ONLY;
            default -> ResultSet.HOLD_CURSORS_OVER_COMMIT;
        };
    }

    private static String signature(Method m) {
        StringBuilder b = new StringBuilder("(");
        for (Class<?> t : m.getParameterTypes()) {
            if (b.length() > 1) {
                b.append(", ");
            }
            b.append(t.getSimpleName());
        }
        return b.append(')').toString();
    }
}
