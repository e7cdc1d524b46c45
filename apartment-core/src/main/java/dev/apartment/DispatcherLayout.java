package dev.apartment;

import dev.apartment.internal.Inbox;

/**
 * The field layout of {@link Dispatcher}: the fields every post reads ({@code thread}, {@code inbox}, {@code parked},
 * {@code shutdownFinished}, {@code hooks}, {@code pump}, {@code counters}) sit on their own cache line, apart from the
 * fields the owner thread writes for every operation, so that running an operation does not invalidate the line
 * producers read. Byte padding in a class hierarchy is used
 * because the JVM (JDK 15+) fills alignment gaps in a superclass with subclass fields, which defeats {@code long}
 * padding. {@code DispatcherLayoutTest} checks the offsets.
 */
final class DispatcherLayout {
    private DispatcherLayout() {
    }

    abstract static class Pad0 {
        byte p000, p001, p002, p003, p004, p005, p006, p007;
        byte p008, p009, p010, p011, p012, p013, p014, p015;
        byte p016, p017, p018, p019, p020, p021, p022, p023;
        byte p024, p025, p026, p027, p028, p029, p030, p031;
        byte p032, p033, p034, p035, p036, p037, p038, p039;
        byte p040, p041, p042, p043, p044, p045, p046, p047;
        byte p048, p049, p050, p051, p052, p053, p054, p055;
        byte p056, p057, p058, p059, p060, p061, p062, p063;
    }

    abstract static class PostSide extends Pad0 {
        /** The owner thread: read by every post (to recognise self-posts). */
        final Thread thread;
        /** Read by every post. */
        final Inbox inbox = new Inbox();
        /** Written by the owner around a park; read by producers to decide whether to unpark. */
        volatile boolean parked;
        /** Written once by the owner; read by every post. */
        volatile boolean shutdownFinished;
        /** Copy-on-write; read by every post and operation. */
        volatile DispatcherHooks[] hooks = Dispatcher.NO_HOOKS;
        /** The toolkit pump of an attached dispatcher, or null for the built-in one: read by wake-ups. */
        final DispatcherPump pump;
        /** Read by every post (the post counters of {@link Dispatcher#metrics()}). */
        final DispatcherCounters counters = new DispatcherCounters();

        PostSide(Thread thread, DispatcherPump pump) {
            this.thread = thread;
            this.pump = pump;
        }
    }

    abstract static class Pad1 extends PostSide {
        Pad1(Thread thread, DispatcherPump pump) {
            super(thread, pump);
        }

        byte p100, p101, p102, p103, p104, p105, p106, p107;
        byte p108, p109, p110, p111, p112, p113, p114, p115;
        byte p116, p117, p118, p119, p120, p121, p122, p123;
        byte p124, p125, p126, p127, p128, p129, p130, p131;
        byte p132, p133, p134, p135, p136, p137, p138, p139;
        byte p140, p141, p142, p143, p144, p145, p146, p147;
        byte p148, p149, p150, p151, p152, p153, p154, p155;
        byte p156, p157, p158, p159, p160, p161, p162, p163;
    }
}
