package dev.apartment;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class DispatcherObjectTest {

    /** A thread-affine object, named so that messages can be checked for it. */
    static final class Gadget extends DispatcherObject {
        private int value;

        int value() {
            verifyAccess();
            return value;
        }

        void setValue(int v) {
            verifyAccess();
            value = v;
        }

        void detach() {
            detachFromDispatcher();
        }
    }

    private Dispatcher owner;
    private Dispatcher other;

    @BeforeEach
    void startDispatchers() {
        owner = Dispatcher.start("gadget-owner");
        other = Dispatcher.start("gadget-other");
    }

    @AfterEach
    void shutDown() throws InterruptedException {
        owner.invokeShutdown();
        other.invokeShutdown();
        assertThat(owner.awaitShutdown(Duration.ofSeconds(5))).isTrue();
        assertThat(other.awaitShutdown(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void capturesTheDispatcherOfTheConstructingThread() {
        Gadget gadget = owner.invoke(Gadget::new);

        assertThat(gadget.dispatcher()).isSameAs(owner);
        assertThat(owner.invoke(() -> Dispatcher.current())).isSameAs(owner);
    }

    @Test
    void objectsBuiltOnDifferentDispatchersBelongToEach() {
        Gadget a = owner.invoke(Gadget::new);
        Gadget b = other.invoke(Gadget::new);

        assertThat(a.dispatcher()).isSameAs(owner);
        assertThat(b.dispatcher()).isSameAs(other);
    }

    @Test
    void onAPlainThreadItCreatesAndCapturesThatThreadsDispatcher() throws Exception {
        CompletableFuture<Gadget> built = new CompletableFuture<>();
        CompletableFuture<Dispatcher> currentThere = new CompletableFuture<>();
        Thread plain = new Thread(() -> {
            Gadget g = new Gadget();
            currentThere.complete(Dispatcher.current());
            built.complete(g);
        }, "plain-thread");
        plain.start();

        Gadget gadget = built.get(5, SECONDS);
        assertThat(gadget.dispatcher()).isSameAs(currentThere.get());
        assertThat(gadget.dispatcher().thread()).isSameAs(plain);
        plain.join(5_000);
    }

    @Test
    void checkAccessIsTrueOnlyOnTheOwnerThread() {
        Gadget gadget = owner.invoke(Gadget::new);

        assertThat(owner.invoke(gadget::checkAccess)).isTrue();
        assertThat(gadget.checkAccess()).as("test thread").isFalse();
        assertThat(other.invoke(gadget::checkAccess)).as("another dispatcher's thread").isFalse();
    }

    @Test
    void verifyAccessPassesOnTheOwnerThread() {
        Gadget gadget = owner.invoke(Gadget::new);

        assertThatCode(() -> owner.invoke(() -> {
            gadget.verifyAccess();
            gadget.setValue(3);
        })).doesNotThrowAnyException();
        assertThat(owner.invoke(gadget::value)).isEqualTo(3);
    }

    @Test
    void verifyAccessFromAnotherThreadThrowsNamingClassOwnerAndCaller() {
        Gadget gadget = owner.invoke(Gadget::new);
        Thread me = Thread.currentThread();

        assertThatThrownBy(gadget::verifyAccess)
                .isInstanceOf(WrongDispatcherException.class)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Gadget")
                .hasMessageContaining("gadget-owner")
                .hasMessageContaining(me.getName())
                .satisfies(e -> {
                    WrongDispatcherException w = (WrongDispatcherException) e;
                    assertThat(w.ownerThread()).isSameAs(owner.thread());
                    assertThat(w.callingThread()).isSameAs(me);
                });
    }

    @Test
    void verifyAccessFromAnotherDispatchersThreadNamesThatThread() {
        Gadget gadget = owner.invoke(Gadget::new);

        Throwable thrown = other.invoke(() -> catchThrowable(() -> gadget.setValue(1)));

        assertThat(thrown).isInstanceOf(WrongDispatcherException.class)
                .hasMessageContaining("Gadget")
                .hasMessageContaining("gadget-owner")
                .hasMessageContaining("gadget-other");
        WrongDispatcherException w = (WrongDispatcherException) thrown;
        assertThat(w.ownerThread()).isSameAs(owner.thread());
        assertThat(w.callingThread()).isSameAs(other.thread());
        assertThat(owner.invoke(gadget::value)).as("the rejected write changed nothing").isZero();
    }

    @Test
    void aDetachedObjectIsFreeThreaded() {
        Gadget gadget = owner.invoke(() -> {
            Gadget g = new Gadget();
            g.detach();
            return g;
        });

        assertThat(gadget.dispatcher()).isNull();
        assertThat(gadget.checkAccess()).isTrue();
        assertThatCode(gadget::verifyAccess).doesNotThrowAnyException();
        gadget.setValue(5);
        assertThat(other.invoke(gadget::value)).isEqualTo(5);
        assertThat(other.invoke(gadget::checkAccess)).isTrue();
    }

    @Test
    void detachingIsAllowedOnlyOnTheOwnerThread() {
        Gadget gadget = owner.invoke(Gadget::new);

        assertThatThrownBy(gadget::detach).isInstanceOf(WrongDispatcherException.class);

        assertThat(gadget.dispatcher()).as("still attached").isSameAs(owner);
        assertThat(gadget.checkAccess()).isFalse();
    }

    @Test
    void detachingTwiceIsHarmless() {
        Gadget gadget = owner.invoke(() -> {
            Gadget g = new Gadget();
            g.detach();
            return g;
        });

        assertThatCode(gadget::detach).as("already detached, from any thread").doesNotThrowAnyException();
        assertThat(gadget.dispatcher()).isNull();
    }

    @Test
    void accessChecksKeepWorkingAfterTheOwnerShutsDown() throws InterruptedException {
        // The object still belongs to a thread that no longer dispatches: no other thread may take it over.
        Gadget gadget = owner.invoke(Gadget::new);
        owner.invokeShutdown();
        assertThat(owner.awaitShutdown(Duration.ofSeconds(5))).isTrue();

        assertThat(gadget.checkAccess()).isFalse();
        assertThatThrownBy(gadget::verifyAccess).isInstanceOf(WrongDispatcherException.class);
    }

    private static Throwable catchThrowable(Runnable r) {
        try {
            r.run();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    @Test
    void anAnonymousSubclassIsNamedByItsBinaryName() {
        DispatcherObject anonymous = owner.invoke(() -> new DispatcherObject() { });

        assertThatThrownBy(anonymous::verifyAccess)
                .isInstanceOf(WrongDispatcherException.class)
                .hasMessageStartingWith(anonymous.getClass().getName() + " belongs to thread 'gadget-owner'");
    }
}
