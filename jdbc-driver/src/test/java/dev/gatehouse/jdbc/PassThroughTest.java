package dev.gatehouse.jdbc;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.InputStream;
import java.io.Reader;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The other half of {@link EveryMethodTest}: what the driver does not intercept is left to the pass-through
 * bases generated at build time (jdbc-passthrough's processor, under target/generated-sources), and each of
 * their methods hands its call to the real driver's object unchanged: that method, those arguments, its answer,
 * nothing else. Each driver class is built around a recording stand-in for the real driver's object (a
 * {@link Proxy}: the one way to see exactly what arrives); the statement classes hang off a real PostgreSQL
 * connection through the driver. Every other constructor argument is left empty: a method that touched
 * anything but the wrapped object would fail on it.
 */
class PassThroughTest {
    private static Connection connection;

    @BeforeAll
    static void open() throws SQLException {
        connection = DriverManager.getConnection(new Scenario().url(Databases.PG));
    }

    @AfterAll
    static void close() throws SQLException {
        connection.close();
    }

    @TestFactory
    List<DynamicTest> everyGeneratedMethodOnlyDelegates() throws SQLException, NoSuchMethodException {
        List<DynamicTest> tests = new ArrayList<>();
        for (var subject : EveryMethodTest.wrapperClasses(connection).entrySet()) {
            Class<?> iface = subject.getKey();
            Class<?> base = subject.getValue().getSuperclass();
            tests.add(DynamicTest.dynamicTest(base.getSimpleName() + " holds the " + iface.getSimpleName() + " only",
                    () -> holdsTheWrappedObjectOnly(base, iface)));
            tests.add(DynamicTest.dynamicTest(base.getSimpleName() + " declares nothing "
                    + subject.getValue().getSimpleName() + " declares", () -> disjoint(subject.getValue(), base)));
            Method[] methods = base.getDeclaredMethods();
            Arrays.sort(methods, Comparator.comparing(Method::toGenericString));
            for (Method m : methods) {
                if (m.isSynthetic()) {
                    continue;
                }
                Method api = iface.getMethod(m.getName(), m.getParameterTypes());
                tests.add(DynamicTest.dynamicTest(base.getSimpleName() + "." + m.getName()
                        + Arrays.toString(m.getParameterTypes()), () -> delegates(subject.getValue(), iface, api)));
            }
        }
        // Guards the enumeration: over 400 methods pass through (475 with java.sql of Java 21).
        assertTrue(tests.size() > 400, "only " + tests.size() + " pass-through methods");
        return tests;
    }

    private static void holdsTheWrappedObjectOnly(Class<?> base, Class<?> iface) {
        assertEquals(iface.getSimpleName() + "PassThrough", base.getSimpleName());
        assertTrue(Modifier.isAbstract(base.getModifiers()), base + " is abstract");
        Field[] fields = base.getDeclaredFields();
        assertEquals(1, fields.length, base + " has more state than the wrapped object: " + Arrays.toString(fields));
        assertEquals(iface, fields[0].getType());
    }

    private static void disjoint(Class<?> wrapperClass, Class<?> base) {
        List<String> both = new ArrayList<>();
        for (Method m : wrapperClass.getDeclaredMethods()) {
            if (m.isSynthetic()) {
                continue; // javac's bridges
            }
            try {
                base.getDeclaredMethod(m.getName(), m.getParameterTypes());
                both.add(m.getName() + Arrays.toString(m.getParameterTypes()));
            } catch (NoSuchMethodException expected) {
                // declared once: by the driver's class
            }
        }
        assertEquals(List.of(), both, "generated although " + wrapperClass.getSimpleName() + " declares them");
    }

    /** Calls the method through the interface, as an application does, and checks what the stand-in saw. */
    private static void delegates(Class<?> wrapperClass, Class<?> iface, Method api) throws Exception {
        List<Object[]> calls = new ArrayList<>();
        Object answer = sample(api.getReturnType(), 7);
        Object real = Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface}, (proxy, m, args) -> {
            if (m.getDeclaringClass() == Object.class) {
                return switch (m.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> "the real driver's " + iface.getSimpleName();
                };
            }
            calls.add(new Object[] {m, args == null ? new Object[0] : args});
            return answer;
        });
        Object wrapper = wrapAround(wrapperClass, iface, real);
        Object[] arguments = new Object[api.getParameterCount()];
        for (int i = 0; i < arguments.length; i++) {
            arguments[i] = sample(api.getParameterTypes()[i], i);
        }
        Object returned;
        try {
            returned = api.invoke(wrapper, arguments);
        } catch (InvocationTargetException e) {
            throw new AssertionError(api + " threw instead of passing the call on", e.getCause());
        }
        assertEquals(1, calls.size(), api + " reached the real driver's object " + calls.size() + " times");
        Method called = (Method) calls.get(0)[0];
        assertEquals(api.getName(), called.getName());
        assertArrayEquals(api.getParameterTypes(), called.getParameterTypes(), api + " called another overload");
        Object[] passed = (Object[]) calls.get(0)[1];
        for (int i = 0; i < arguments.length; i++) {
            assertSameValue(arguments[i], passed[i], api + " argument " + i);
        }
        if (api.getReturnType() != void.class) {
            assertSameValue(answer, returned, api + " answer");
        }
    }

    private static void assertSameValue(Object expected, Object actual, String what) {
        if (expected instanceof Number || expected instanceof Boolean || expected instanceof String) {
            assertEquals(expected, actual, what);
        } else if (expected != actual) {
            fail(what + ": expected " + expected + ", got " + actual);
        }
    }

    /**
     * The driver's class around the stand-in: the statement classes on the real connection; every other
     * argument empty (no guard, no session): pass-through methods must not need them.
     */
    private static Object wrapAround(Class<?> wrapperClass, Class<?> iface, Object real) throws Exception {
        Constructor<?>[] constructors = wrapperClass.getDeclaredConstructors();
        assertEquals(1, constructors.length, wrapperClass + " constructors");
        Constructor<?> c = constructors[0];
        c.setAccessible(true);
        Class<?>[] types = c.getParameterTypes();
        Object[] args = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            Class<?> t = types[i];
            if (t.isInstance(connection) && iface != Connection.class) {
                args[i] = connection;
            } else if (t.isAssignableFrom(iface)) {
                args[i] = real;
            } else if (t == String.class) {
                args[i] = "SELECT 1";
            } else if (t == Duration.class) {
                args[i] = Duration.ZERO;
            } else if (t == boolean.class) {
                args[i] = false;
            }
        }
        return c.newInstance(args);
    }

    /** A value of the type, distinct per seed where the type allows: swapped arguments show. */
    static Object sample(Class<?> type, int seed) throws Exception {
        if (type == void.class) {
            return null;
        }
        if (type == boolean.class) {
            return seed % 2 == 1;
        }
        if (type == int.class) {
            return 100 + seed;
        }
        if (type == long.class) {
            return 1000L + seed;
        }
        if (type == short.class) {
            return (short) (10 + seed);
        }
        if (type == byte.class) {
            return (byte) (20 + seed);
        }
        if (type == float.class) {
            return 30f + seed;
        }
        if (type == double.class) {
            return 40d + seed;
        }
        if (type == String.class) {
            return "value " + seed;
        }
        if (type.isArray()) {
            return java.lang.reflect.Array.newInstance(type.getComponentType(), 1);
        }
        if (type.isEnum()) {
            return type.getEnumConstants()[seed % type.getEnumConstants().length];
        }
        if (type.isInterface()) {
            return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, a) -> {
                throw new UnsupportedOperationException("a sample " + type.getSimpleName());
            });
        }
        Object value = switch (type.getName()) {
            case "java.lang.Object" -> new Object();
            case "java.lang.Class" -> Integer.class;
            case "java.math.BigDecimal" -> BigDecimal.valueOf(seed);
            case "java.sql.Date" -> new java.sql.Date(seed);
            case "java.sql.Time" -> new java.sql.Time(seed);
            case "java.sql.Timestamp" -> new java.sql.Timestamp(seed);
            case "java.sql.SQLWarning" -> new java.sql.SQLWarning("sample " + seed);
            case "java.util.Calendar" -> Calendar.getInstance();
            case "java.util.Properties" -> new Properties();
            case "java.net.URL" -> URI.create("http://sample/" + seed).toURL();
            case "java.io.InputStream" -> InputStream.nullInputStream();
            case "java.io.Reader" -> Reader.nullReader();
            default -> null;
        };
        if (value == null) {
            fail("no sample value of " + type + ": add one");
        }
        return value;
    }
}
