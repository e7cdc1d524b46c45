package dev.apartment.internal;

import java.lang.reflect.Field;
import java.lang.reflect.Method;

/** Reads field offsets with {@code sun.misc.Unsafe}, reflectively so the module needs no compile-time read edge. */
public final class FieldOffsets {
    private FieldOffsets() {
    }

    /** The offset of field {@code name} declared by {@code declaring}. */
    public static long of(Class<?> declaring, String name) {
        try {
            Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
            Field theUnsafe = unsafeClass.getDeclaredField("theUnsafe");
            theUnsafe.setAccessible(true);
            Object unsafe = theUnsafe.get(null);
            Method offset = unsafeClass.getMethod("objectFieldOffset", Field.class);
            return (long) offset.invoke(unsafe, declaring.getDeclaredField(name));
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot read the offset of " + declaring.getName() + "." + name, e);
        }
    }
}
