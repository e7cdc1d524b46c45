package dev.apartment.internal;

/**
 * The field layout of {@link Inbox}: the producer-swapped tail, the lane summary (read by the owner for every
 * operation, rarely written) and the owner's head, each on its own cache line, with 64 bytes of byte padding before,
 * between and after. Byte padding in a class
 * hierarchy is used because the JVM (JDK 15+) fills alignment gaps in a superclass with subclass fields, which
 * defeats {@code long} padding.
 */
final class InboxLayout {
    private InboxLayout() {
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

    /** Swapped by every push. */
    abstract static class TailSide extends Pad0 {
        volatile QueueNode tail;
    }

    abstract static class Pad1 extends TailSide {
        byte p100, p101, p102, p103, p104, p105, p106, p107;
        byte p108, p109, p110, p111, p112, p113, p114, p115;
        byte p116, p117, p118, p119, p120, p121, p122, p123;
        byte p124, p125, p126, p127, p128, p129, p130, p131;
        byte p132, p133, p134, p135, p136, p137, p138, p139;
        byte p140, p141, p142, p143, p144, p145, p146, p147;
        byte p148, p149, p150, p151, p152, p153, p154, p155;
        byte p156, p157, p158, p159, p160, p161, p162, p163;
    }

    /** Read by the owner for every operation; written only when a bit is missing or cleared. */
    abstract static class LaneSummary extends Pad1 {
        volatile int lanes;
    }

    abstract static class Pad2 extends LaneSummary {
        byte p200, p201, p202, p203, p204, p205, p206, p207;
        byte p208, p209, p210, p211, p212, p213, p214, p215;
        byte p216, p217, p218, p219, p220, p221, p222, p223;
        byte p224, p225, p226, p227, p228, p229, p230, p231;
        byte p232, p233, p234, p235, p236, p237, p238, p239;
        byte p240, p241, p242, p243, p244, p245, p246, p247;
        byte p248, p249, p250, p251, p252, p253, p254, p255;
        byte p256, p257, p258, p259, p260, p261, p262, p263;
    }

    /** Owner only. */
    abstract static class ConsumerSide extends Pad2 {
        QueueNode head;
        QueueNode stub;
        byte p300, p301, p302, p303, p304, p305, p306, p307;
        byte p308, p309, p310, p311, p312, p313, p314, p315;
        byte p316, p317, p318, p319, p320, p321, p322, p323;
        byte p324, p325, p326, p327, p328, p329, p330, p331;
        byte p332, p333, p334, p335, p336, p337, p338, p339;
        byte p340, p341, p342, p343, p344, p345, p346, p347;
        byte p348, p349, p350, p351, p352, p353, p354, p355;
        byte p356, p357, p358, p359, p360, p361, p362, p363;
    }
}
