package dev.gatehouse.passthrough;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a wrapper class whose pass-through base is generated: for {@code @PassThrough(Connection.class)} on
 * {@code GuardedConnection}, {@link PassThroughProcessor} writes {@code ConnectionPassThrough}, an abstract
 * class that holds the wrapped object in a field and delegates to it every method of the interface that the
 * wrapper does not declare itself. The wrapper extends it and keeps only the methods that add behaviour.
 *
 * <p>Source retention: nothing of it is in the driver's class files, so the driver does not depend on it at
 * run time.
 */
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.TYPE)
public @interface PassThrough {
    /** The interface whose remaining methods are delegated; the generated class is named after it. */
    Class<?> value();

    /** The name of the generated class's field that holds the wrapped object (typed as {@link #value()}). */
    String field() default "raw";

    /**
     * The class the generated class extends, for a wrapper that extends another wrapper (a prepared statement
     * is a statement): the methods of the interfaces it already implements are not generated again, and each
     * of its constructors is repeated with the wrapped object's parameter narrowed to {@link #value()}.
     */
    Class<?> parent() default Object.class;
}
