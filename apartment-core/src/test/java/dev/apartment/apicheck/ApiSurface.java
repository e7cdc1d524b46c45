package dev.apartment.apicheck;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The public-type check of a published module, shared by the {@code ApiSurfaceTest} of every published module
 * (apartment-core's test-jar). It compares the module's compiled classes with two reviewed, checked-in lists and
 * fails, naming each type, when
 * <ul>
 *   <li>a public (or protected nested) type of an exported package is not in the list of exported types, or a listed
 *       one is gone: API is added or removed only on purpose;</li>
 *   <li>a public type of a non-exported package is not in the list of internal types: no caller can use it, so it is
 *       reviewed as internal (public only for the module's other packages) or moved to an exported package;</li>
 *   <li>a public or protected member, superclass, interface or type parameter bound of an exported type mentions a
 *       type of the module that callers cannot name (one of a non-exported package, or a non-public one), or the
 *       type inherits a public or protected member from such a type: an API leak, unless it is accepted, after
 *       review, in the optional list of accepted leaks.</li>
 * </ul>
 *
 * <p>The module is read from where its classes were loaded ({@code target/classes}, or its jar), whether the tests
 * run on the module path or the class path: every {@code .class} file is enumerated, and the exported packages come
 * from its {@code module-info.class}; a module without one (apartment-swt, an automatic module) exports every
 * package. Classes are loaded without being initialized, so no toolkit (AWT, JavaFX, SWT natives) starts.
 *
 * <p>The lists are the class path resources {@code api-surface/<module>.exported.txt},
 * {@code api-surface/<module>.internal.txt} and, optional, {@code api-surface/<module>.accepted-leaks.txt} (in each
 * module's {@code src/test/resources}): one binary name ({@code Outer$Nested} for a nested type) or accepted leak a
 * line, as the failure message prints it, sorted; lines starting with {@code #} are comments. The directory name is
 * not a legal package name on purpose: the resources then belong to no package, so the module system never
 * encapsulates them.
 */
public final class ApiSurface {

    private static final String LIST_DIRECTORY = "api-surface/";

    private final String moduleName;
    private final Class<?> anchor;
    private final Path classes;
    private final Set<String> packages;
    private final Set<String> exportedPackages;
    private final Set<String> classNames;

    private ApiSurface(String moduleName, Class<?> anchor) {
        this.moduleName = moduleName;
        this.anchor = anchor;
        this.classes = locationOf(anchor);
        this.classNames = readClassNames(classes);
        this.packages = classNames.stream().map(ApiSurface::packageOf).collect(Collectors.toCollection(TreeSet::new));
        ModuleDescriptor descriptor = readDescriptor(classes);
        if (descriptor == null) {
            // an automatic module: every package is exported
            this.exportedPackages = packages;
        } else {
            if (!descriptor.name().equals(moduleName)) {
                throw new IllegalArgumentException(classes + " holds the module " + descriptor.name() + ", not "
                        + moduleName);
            }
            this.exportedPackages = descriptor.exports().stream()
                    .filter(e -> !e.isQualified())
                    .map(ModuleDescriptor.Exports::source)
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /**
     * The module {@code moduleName}, read from where {@code anchor} (one of its classes) was loaded.
     */
    public static ApiSurface of(String moduleName, Class<?> anchor) {
        return new ApiSurface(moduleName, anchor);
    }

    /** Fails with every difference from the reviewed lists and every API leak, each naming its type. */
    public void assertReviewed() {
        List<String> problems = problems();
        if (!problems.isEmpty()) {
            throw new AssertionError("The public types of module " + moduleName + " (" + classes + ") differ from "
                    + "the reviewed lists, " + problems.size() + " problem(s):\n\n"
                    + String.join("\n\n", problems) + "\n");
        }
    }

    /** Every difference from the reviewed lists and every API leak, as messages; empty when all is as reviewed. */
    public List<String> problems() {
        Set<String> exported = new TreeSet<>();
        Set<String> internal = new TreeSet<>();
        for (String name : classNames) {
            Class<?> type = load(name);
            if (isPublicType(type)) {
                (exportedPackages.contains(packageOf(name)) ? exported : internal).add(name);
            }
        }
        List<String> problems = new ArrayList<>();
        String exportedList = listName("exported");
        String internalList = listName("internal");
        Set<String> reviewedExported = readList(exportedList);
        Set<String> reviewedInternal = readList(internalList);

        for (String name : difference(exported, reviewedExported)) {
            problems.add("NEW API TYPE " + name + ": a public type of the exported package " + packageOf(name)
                    + ", so callers of module " + moduleName + " can use it, but it is not in the reviewed list "
                    + where(exportedList) + ".\n  Review it: if it is meant to be API, add the line\n    " + name
                    + "\n  to that list (sorted); if not, make it non-public or move it to a non-exported package.");
        }
        for (String name : difference(reviewedExported, exported)) {
            problems.add("API TYPE GONE " + name + ": listed in " + where(exportedList) + " but no longer a public "
                    + "type of an exported package of module " + moduleName + " (removed, renamed, made non-public "
                    + "or moved), which breaks its callers.\n  If that is intended, delete its line from that list.");
        }
        for (String name : difference(internal, reviewedInternal)) {
            problems.add("NEW INTERNAL PUBLIC TYPE " + name + ": public, but its package " + packageOf(name)
                    + " is not exported by module " + moduleName + ", so no caller can use it.\n  Either it stays "
                    + "internal (public only for the module's other packages): add the line\n    " + name
                    + "\n  to " + where(internalList) + " (sorted); or callers need it: move it to an exported "
                    + "package (and into " + where(exportedList) + ").");
        }
        for (String name : difference(reviewedInternal, internal)) {
            problems.add("INTERNAL TYPE GONE " + name + ": listed in " + where(internalList) + " but no longer a "
                    + "public type of a non-exported package of module " + moduleName + ".\n  Delete its line from "
                    + "that list" + (exported.contains(name) ? " (it is now API: see its NEW API TYPE entry)." : "."));
        }
        String acceptedList = listName("accepted-leaks");
        Set<String> accepted = readOptionalList(acceptedList);
        Set<String> leaks = new TreeSet<>();
        for (String name : exported) {
            for (Leak leak : leaks(load(name), exported)) {
                leaks.add(leak.key());
                if (!accepted.contains(leak.key())) {
                    problems.add("API LEAK in " + leak.owner() + ": " + leak.message() + ".\n  Change the signature "
                            + "or hierarchy, make the member non-public, or (after review) make the type API. Only "
                            + "if it must stay for now, accept it by adding the line\n    " + leak.key() + "\n  to "
                            + where(acceptedList) + ".");
                }
            }
        }
        for (String key : difference(accepted, leaks)) {
            problems.add("ACCEPTED LEAK GONE: " + where(acceptedList) + " accepts\n    " + key + "\n  which no "
                    + "longer occurs: delete its line.");
        }
        return problems;
    }

    // --- the API types and what they mention ---

    /**
     * Whether callers of the module could use the type if its package were exported: a public top-level type, or a
     * public or protected member type of such a type (local and anonymous classes never are).
     */
    private static boolean isPublicType(Class<?> type) {
        if (type.isAnonymousClass() || type.isLocalClass() || type.isSynthetic()) {
            return false;
        }
        int modifiers = type.getModifiers();
        Class<?> outer = type.getDeclaringClass();
        if (outer == null) {
            return Modifier.isPublic(modifiers);
        }
        return (Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers)) && isPublicType(outer);
    }

    /**
     * An API type's exposure of a type or member of this module that callers cannot name: {@code key} (owner, where,
     * what) is the line that accepts it in the accepted-leaks list.
     */
    private record Leak(String owner, String where, String what, String message) {
        String key() {
            return owner + " | " + where + " | " + what;
        }
    }

    /**
     * What an API type exposes of this module that callers cannot name: types of non-exported packages or non-public
     * types in its superclass, interfaces, type parameters and public or protected members (a non-public superclass
     * or interface of an exported package alone is no leak, a common implementation device), and public or protected
     * members it inherits from a type that is not API.
     */
    private List<Leak> leaks(Class<?> type, Set<String> api) {
        List<Leak> leaks = new ArrayList<>();
        check(leaks, api, type, "superclass", true, type.getGenericSuperclass());
        for (Type implemented : type.getGenericInterfaces()) {
            check(leaks, api, type, "interface", true, implemented);
        }
        for (TypeVariable<?> variable : type.getTypeParameters()) {
            check(leaks, api, type, "type parameter " + variable.getName(), false, variable.getBounds());
        }
        boolean subclassable = !Modifier.isFinal(type.getModifiers());
        // public members, inherited ones included (a public class may inherit them from a package-private one),
        // and the protected ones its subclasses see
        Set<Member> members = new LinkedHashSet<>();
        members.addAll(Arrays.asList(type.getMethods()));
        members.addAll(Arrays.asList(type.getConstructors()));
        members.addAll(Arrays.asList(type.getFields()));
        if (subclassable) {
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                Stream.of(c.getDeclaredMethods(), c.getDeclaredFields(), c == type ? c.getDeclaredConstructors()
                                : new Member[0])
                        .flatMap(Arrays::stream)
                        .filter(m -> Modifier.isProtected(m.getModifiers()))
                        .forEach(members::add);
            }
        }
        for (Member member : members) {
            if (member.isSynthetic() && !(member instanceof Method m && m.isBridge())) {
                continue; // a bridge is checked: javac makes one for each public method of a non-public superclass
            }
            String what = describe(member);
            String declarer = member.getDeclaringClass().getName();
            if (classNames.contains(declarer) && !api.contains(declarer)) {
                leaks.add(new Leak(type.getName(), what, "inherited from " + declarer, what + " is inherited from "
                        + declarer + ", " + why(declarer) + ": callers can call it on " + type.getName()
                        + " though they cannot name its declaring type"));
            }
            if (member instanceof Field field) {
                check(leaks, api, type, what, false, field.getGenericType());
            } else {
                Executable executable = (Executable) member;
                if (executable instanceof Method method) {
                    check(leaks, api, type, what, false, method.getGenericReturnType());
                }
                check(leaks, api, type, what, false, executable.getGenericParameterTypes());
                check(leaks, api, type, what, false, executable.getGenericExceptionTypes());
                for (TypeVariable<?> variable : executable.getTypeParameters()) {
                    check(leaks, api, type, what, false, variable.getBounds());
                }
            }
        }
        return leaks;
    }

    private void check(List<Leak> leaks, Set<String> api, Class<?> owner, String where, boolean supertype,
            Type... types) {
        Set<Class<?>> mentioned = new LinkedHashSet<>();
        for (Type t : types) {
            collect(t, mentioned, new LinkedHashSet<>());
        }
        for (Class<?> c : mentioned) {
            String name = c.getName();
            if (!classNames.contains(name) || api.contains(name)) {
                continue; // another module's type, or API of this one
            }
            if (supertype && c == rawClass(types[0]) && exportedPackages.contains(packageOf(name))) {
                continue; // a non-public superclass or interface itself; what it gives the API type is checked
            }
            String subject = where.startsWith("the ") ? where : "its " + where;
            leaks.add(new Leak(owner.getName(), where, "mentions " + name, subject + " mentions " + name + ", "
                    + why(name) + ": callers cannot name it"));
        }
    }

    private String why(String name) {
        return (exportedPackages.contains(packageOf(name))
                ? "a non-public type"
                : "a type of the non-exported package " + packageOf(name)) + " of module " + moduleName;
    }

    private static Class<?> rawClass(Type type) {
        return type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : type instanceof Class<?> c ? c : null;
    }

    /** Every class a type mentions: itself, its arguments, bounds and component types. */
    private static void collect(Type type, Set<Class<?>> into, Set<Type> seen) {
        if (type == null || !seen.add(type)) {
            return;
        }
        if (type instanceof Class<?> c) {
            while (c.isArray()) {
                c = c.getComponentType();
            }
            if (!c.isPrimitive()) {
                into.add(c);
            }
        } else if (type instanceof ParameterizedType p) {
            collect(p.getRawType(), into, seen);
            collect(p.getOwnerType(), into, seen);
            for (Type argument : p.getActualTypeArguments()) {
                collect(argument, into, seen);
            }
        } else if (type instanceof GenericArrayType a) {
            collect(a.getGenericComponentType(), into, seen);
        } else if (type instanceof WildcardType w) {
            for (Type bound : w.getUpperBounds()) {
                collect(bound, into, seen);
            }
            for (Type bound : w.getLowerBounds()) {
                collect(bound, into, seen);
            }
        } else if (type instanceof TypeVariable<?> v) {
            for (Type bound : v.getBounds()) {
                collect(bound, into, seen);
            }
        }
    }

    /** A member as "the public method name(parameter types)", and the like. */
    private static String describe(Member member) {
        String kind = Modifier.isProtected(member.getModifiers()) ? "the protected " : "the public ";
        if (member instanceof Field) {
            return kind + "field " + member.getName();
        }
        String parameters = Arrays.stream(((Executable) member).getParameterTypes())
                .map(Class::getTypeName)
                .collect(Collectors.joining(", ", "(", ")"));
        if (member instanceof Constructor<?>) {
            return kind + "constructor " + member.getDeclaringClass().getSimpleName() + parameters;
        }
        return kind + "method " + member.getName() + parameters;
    }

    // --- the module's classes ---

    private Class<?> load(String name) {
        try {
            // never initialized: some classes' static state touches a toolkit
            return Class.forName(name, false, anchor.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new AssertionError("cannot load " + name + " of module " + moduleName + " from " + classes, e);
        }
    }

    /** The directory or jar the anchor class was loaded from. */
    private static Path locationOf(Class<?> anchor) {
        CodeSource source = anchor.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            throw new IllegalStateException("no code source for " + anchor);
        }
        try {
            return Path.of(source.getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Set<String> readClassNames(Path location) {
        try {
            if (Files.isDirectory(location)) {
                return readClassNames(location, location);
            }
            try (FileSystem jar = FileSystems.newFileSystem(location)) {
                return readClassNames(jar.getPath("/"), location);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> readClassNames(Path root, Path location) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            Set<String> names = files
                    .filter(Files::isRegularFile)
                    .map(f -> root.relativize(f).toString().replace(f.getFileSystem().getSeparator(), "/"))
                    .filter(f -> f.endsWith(".class") && !f.startsWith("META-INF/"))
                    .map(f -> f.substring(0, f.length() - ".class".length()))
                    .filter(f -> !f.equals("module-info") && !f.endsWith("/package-info"))
                    .map(f -> f.replace('/', '.'))
                    .collect(Collectors.toCollection(TreeSet::new));
            if (names.isEmpty()) {
                throw new IllegalStateException("no classes in " + location);
            }
            return names;
        }
    }

    private static ModuleDescriptor readDescriptor(Path location) {
        try {
            if (Files.isDirectory(location)) {
                return readModuleInfo(location.resolve("module-info.class"));
            }
            try (FileSystem jar = FileSystems.newFileSystem(location)) {
                return readModuleInfo(jar.getPath("module-info.class"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ModuleDescriptor readModuleInfo(Path moduleInfo) throws IOException {
        if (!Files.isRegularFile(moduleInfo)) {
            return null;
        }
        try (InputStream in = Files.newInputStream(moduleInfo)) {
            return ModuleDescriptor.read(in);
        }
    }

    // --- the reviewed lists ---

    private String listName(String kind) {
        return LIST_DIRECTORY + moduleName + "." + kind + ".txt";
    }

    /** Where a list is edited: its source in the module's directory when the classes are its target/classes. */
    private String where(String list) {
        Path source = Path.of("src", "test", "resources").resolve(list);
        Path target = classes.getParent();
        if (Files.isDirectory(classes) && target != null && target.getFileName().toString().equals("target")
                && target.getParent() != null) {
            return target.getParent().resolve(source).toString();
        }
        return source.toString();
    }

    private Set<String> readList(String list) {
        try (InputStream in = anchor.getClassLoader().getResourceAsStream(list)) {
            if (in == null) {
                throw new AssertionError("no reviewed list " + list + " on the class path: create "
                        + where(list) + " (see the other modules' lists for the format)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A list that may be absent: empty then. */
    private Set<String> readOptionalList(String list) {
        return anchor.getClassLoader().getResource(list) == null ? Set.of() : readList(list);
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> d = new TreeSet<>(a);
        d.removeAll(b);
        return d;
    }

    private static String packageOf(String binaryName) {
        int dot = binaryName.lastIndexOf('.');
        return dot < 0 ? "" : binaryName.substring(0, dot);
    }
}
