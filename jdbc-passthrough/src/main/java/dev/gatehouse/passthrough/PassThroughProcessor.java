package dev.gatehouse.passthrough;

import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedAnnotationTypes;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.ExecutableType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import javax.tools.Diagnostic;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes the pass-through base class of each {@link PassThrough} wrapper. It reads the interface as this
 * compilation sees it: under {@code --release 21} that is Java 21's {@code java.sql}, whichever JDK runs the
 * build, so the generated class never calls a method the target release does not have.
 *
 * <p>Fails the build, with an error on the wrapper, where plain delegation would let the real driver's
 * objects escape: the methods of {@code java.sql.Wrapper} ({@code unwrap}, {@code isWrapperFor}) and every
 * method that returns a {@code Connection}, {@code Statement}, {@code ResultSet}, {@code DatabaseMetaData} or
 * {@code Array} must be declared by the wrapper itself.
 *
 * <p>Threads: javac's.
 */
@SupportedAnnotationTypes("dev.gatehouse.passthrough.PassThrough")
public final class PassThroughProcessor extends AbstractProcessor {
    /** Returned by the real driver, each leads back to it: a wrapper must hand out its own wrapper instead. */
    static final List<String> MUST_WRAP = List.of("java.sql.Connection", "java.sql.Statement",
            "java.sql.ResultSet", "java.sql.DatabaseMetaData", "java.sql.Array");
    private static final String WRAPPER = "java.sql.Wrapper";

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        for (Element element : round.getElementsAnnotatedWith(PassThrough.class)) {
            if (element.getKind() != ElementKind.CLASS) {
                error(element, "@PassThrough marks a wrapper class");
                continue;
            }
            TypeElement wrapper = (TypeElement) element;
            PassThroughClass generated = plan(wrapper);
            if (generated != null) {
                write(wrapper, generated);
            }
        }
        return true;
    }

    /** What to generate for one wrapper, or null after reporting why nothing can be. */
    private PassThroughClass plan(TypeElement wrapper) {
        Elements elements = processingEnv.getElementUtils();
        Types types = processingEnv.getTypeUtils();
        Map<String, AnnotationValue> values = values(wrapper);
        if (values == null) {
            return null;
        }
        TypeMirror iface = (TypeMirror) values.get("value").getValue();
        String field = (String) values.get("field").getValue();
        TypeMirror parent = (TypeMirror) values.get("parent").getValue();
        if (iface.getKind() != TypeKind.DECLARED || types.asElement(iface).getKind() != ElementKind.INTERFACE) {
            error(wrapper, "@PassThrough(" + iface + "): not an interface");
            return null;
        }
        if (!SourceVersion.isIdentifier(field) || SourceVersion.isKeyword(field)) {
            error(wrapper, "@PassThrough(field = \"" + field + "\"): not a field name");
            return null;
        }
        boolean hasParent = !types.isSameType(parent, elements.getTypeElement("java.lang.Object").asType());
        List<PassThroughClass.Method> methods = delegated(wrapper, (DeclaredType) iface, hasParent ? parent : null);
        List<PassThroughClass.Constructor> constructors = hasParent ? constructors(wrapper, parent, iface) : List.of();
        if (methods == null || constructors == null) {
            return null;
        }
        String pkg = elements.getPackageOf(wrapper).getQualifiedName().toString();
        String name = types.asElement(iface).getSimpleName() + "PassThrough";
        return new PassThroughClass(pkg, name, wrapper, iface, field, hasParent ? parent : null, constructors,
                methods, processingEnv.getSourceVersion());
    }

    /**
     * The interface's methods that neither the wrapper nor its parent implements; null (reported) when one of
     * them must not be passed through.
     */
    private List<PassThroughClass.Method> delegated(TypeElement wrapper, DeclaredType iface, TypeMirror parent) {
        Types types = processingEnv.getTypeUtils();
        Set<String> skip = new HashSet<>(parent != null ? implementedBy(parent) : Set.of());
        for (ExecutableElement m : ElementFilter.methodsIn(wrapper.getEnclosedElements())) {
            if (!m.getModifiers().contains(Modifier.STATIC)) {
                skip.add(signature(m, (ExecutableType) m.asType()));
            }
        }
        List<PassThroughClass.Method> methods = new ArrayList<>();
        boolean ok = true;
        for (Map.Entry<String, ExecutableElement> e : methodsOf(iface).entrySet()) {
            if (skip.contains(e.getKey())) {
                continue;
            }
            ExecutableElement m = e.getValue();
            String escape = escapes(m);
            if (escape != null) {
                error(wrapper, wrapper.getSimpleName() + " must declare " + e.getKey() + ": " + escape
                        + ", so passing the real driver's answer through would let it escape");
                ok = false;
                continue;
            }
            methods.add(new PassThroughClass.Method(m, (ExecutableType) types.asMemberOf(iface, m),
                    processingEnv.getElementUtils().isDeprecated(m)));
        }
        return ok ? methods : null;
    }

    /** Each of the parent's constructors, to repeat; null (reported) when one has no single place for the object. */
    private List<PassThroughClass.Constructor> constructors(TypeElement wrapper, TypeMirror parent, TypeMirror iface) {
        List<PassThroughClass.Constructor> constructors = new ArrayList<>();
        boolean ok = true;
        for (ExecutableElement c : ElementFilter.constructorsIn(
                processingEnv.getTypeUtils().asElement(parent).getEnclosedElements())) {
            if (c.getModifiers().contains(Modifier.PRIVATE)) {
                continue;
            }
            int narrowed = wrappedParameter(c, iface);
            if (narrowed < 0) {
                error(wrapper, "@PassThrough(parent = " + parent + "): " + c + " needs exactly one parameter"
                        + " that " + iface + " can be passed as");
                ok = false;
                continue;
            }
            constructors.add(new PassThroughClass.Constructor(c, narrowed));
        }
        return ok ? constructors : null;
    }

    /** The annotation's values, defaults included, by name; null (reported) when a class did not resolve. */
    private Map<String, AnnotationValue> values(TypeElement wrapper) {
        for (AnnotationMirror a : wrapper.getAnnotationMirrors()) {
            TypeElement type = (TypeElement) a.getAnnotationType().asElement();
            if (!type.getQualifiedName().contentEquals(PassThrough.class.getCanonicalName())) {
                continue;
            }
            Map<String, AnnotationValue> values = new TreeMap<>();
            processingEnv.getElementUtils().getElementValuesWithDefaults(a)
                    .forEach((k, v) -> values.put(k.getSimpleName().toString(), v));
            for (String classValued : List.of("value", "parent")) {
                if (!(values.get(classValued).getValue() instanceof TypeMirror t) || t.getKind() == TypeKind.ERROR) {
                    error(wrapper, "@PassThrough(" + classValued + " = " + values.get(classValued) + "): unknown class");
                    return null;
                }
            }
            return values;
        }
        throw new IllegalStateException("no @PassThrough on " + wrapper);
    }

    /**
     * Every method of the interface, inherited ones included, by signature; where two interfaces declare the
     * same signature (AutoCloseable's close and Statement's), the more specific one. Sorted, so the generated
     * text does not depend on the compiler's member order.
     */
    private Map<String, ExecutableElement> methodsOf(DeclaredType iface) {
        Types types = processingEnv.getTypeUtils();
        Map<String, ExecutableElement> all = new TreeMap<>();
        TypeElement element = (TypeElement) iface.asElement();
        for (ExecutableElement m : ElementFilter.methodsIn(processingEnv.getElementUtils().getAllMembers(element))) {
            Set<Modifier> modifiers = m.getModifiers();
            if (m.getEnclosingElement().getKind() != ElementKind.INTERFACE || modifiers.contains(Modifier.STATIC)
                    || modifiers.contains(Modifier.PRIVATE)) {
                continue; // java.lang.Object's methods, and an interface's own helpers
            }
            String key = signature(m, (ExecutableType) types.asMemberOf(iface, m));
            ExecutableElement seen = all.get(key);
            if (seen == null || types.isSubtype(types.erasure(m.getEnclosingElement().asType()),
                    types.erasure(seen.getEnclosingElement().asType()))) {
                all.put(key, m);
            }
        }
        return all;
    }

    /**
     * Signatures of the interface methods a parent class implements: those of the interfaces it and its
     * superclasses declare, and of the interface a {@code @PassThrough} on any of them names (its generated
     * base may not exist yet in this round).
     */
    private Set<String> implementedBy(TypeMirror parent) {
        Types types = processingEnv.getTypeUtils();
        Set<String> implemented = new HashSet<>();
        TypeMirror t = parent;
        while (t.getKind() == TypeKind.DECLARED) {
            TypeElement c = (TypeElement) types.asElement(t);
            List<TypeMirror> interfaces = new ArrayList<>(c.getInterfaces());
            Map<String, AnnotationValue> annotated = c.getAnnotation(PassThrough.class) == null ? null : values(c);
            if (annotated != null) {
                interfaces.add((TypeMirror) annotated.get("value").getValue());
            }
            for (TypeMirror i : interfaces) {
                if (i.getKind() == TypeKind.DECLARED) {
                    implemented.addAll(methodsOf((DeclaredType) i).keySet());
                }
            }
            t = c.getSuperclass();
        }
        return implemented;
    }

    /** Why delegating this method would hand out the real driver's object, or null when it would not. */
    private String escapes(ExecutableElement m) {
        Types types = processingEnv.getTypeUtils();
        if (((TypeElement) m.getEnclosingElement()).getQualifiedName().contentEquals(WRAPPER)) {
            return "it is " + WRAPPER + "'s";
        }
        TypeMirror returned = types.erasure(m.getReturnType());
        for (String name : MUST_WRAP) {
            TypeElement jdbc = processingEnv.getElementUtils().getTypeElement(name);
            if (jdbc != null && types.isAssignable(returned, types.erasure(jdbc.asType()))) {
                return "it returns a " + name;
            }
        }
        return null;
    }

    /** The one parameter of a parent's constructor that takes the wrapped object, or -1. */
    private int wrappedParameter(ExecutableElement constructor, TypeMirror iface) {
        int found = -1;
        List<? extends VariableElement> parameters = constructor.getParameters();
        for (int i = 0; i < parameters.size(); i++) {
            if (processingEnv.getTypeUtils().isAssignable(iface, parameters.get(i).asType())) {
                if (found >= 0) {
                    return -1;
                }
                found = i;
            }
        }
        return found;
    }

    /** name(erased parameter types): what makes one method override another. */
    private String signature(ExecutableElement m, ExecutableType type) {
        StringBuilder s = new StringBuilder(m.getSimpleName()).append('(');
        List<? extends TypeMirror> parameters = type.getParameterTypes();
        for (int i = 0; i < parameters.size(); i++) {
            s.append(i == 0 ? "" : ", ").append(processingEnv.getTypeUtils().erasure(parameters.get(i)));
        }
        return s.append(')').toString();
    }

    private void write(TypeElement wrapper, PassThroughClass generated) {
        try (Writer out = processingEnv.getFiler().createSourceFile(generated.qualifiedName(), wrapper).openWriter()) {
            out.write(generated.source());
        } catch (IOException e) {
            error(wrapper, "cannot write " + generated.qualifiedName() + ": " + e.getMessage());
        }
    }

    private void error(Element where, String message) {
        processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, message, where);
    }
}
