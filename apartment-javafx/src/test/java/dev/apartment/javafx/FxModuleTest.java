package dev.apartment.javafx;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The module descriptor as compiled, and the module layout the tests run in: on the module path, with Monocle
 * patched into {@code javafx.graphics} (see the pom).
 */
@Timeout(10)
class FxModuleTest {

    @Test
    void theModuleRequiresTheCoreTransitivelyAndJavaFxGraphicsAndExportsOnePackage() throws Exception {
        Path classes = Path.of(FxPump.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleDescriptor m = ModuleFinder.of(classes).find("dev.apartment.javafx").orElseThrow().descriptor();
        Map<String, Set<ModuleDescriptor.Requires.Modifier>> requires = m.requires().stream()
                .collect(Collectors.toMap(ModuleDescriptor.Requires::name, ModuleDescriptor.Requires::modifiers));
        assertThat(requires).containsEntry("dev.apartment", Set.of(ModuleDescriptor.Requires.Modifier.TRANSITIVE))
                .containsEntry("javafx.graphics", Set.of()).containsKey("java.base");
        assertThat(m.exports()).extracting(ModuleDescriptor.Exports::source).containsExactly("dev.apartment.javafx");
        assertThat(m.exports()).allSatisfy(e -> assertThat(e.isQualified()).isFalse());
    }

    @Test
    void theTestsRunInTheNamedModulesWithMonocleInsideJavaFxGraphics() throws Exception {
        assertThat(FxPump.class.getModule().getName()).isEqualTo("dev.apartment.javafx");
        assertThat(FxModuleTest.class.getModule()).isSameAs(FxPump.class.getModule());
        assertThat(javafx.application.Platform.class.getModule().getName()).isEqualTo("javafx.graphics");
        assertThat(Class.forName("com.sun.glass.ui.monocle.MonocleApplication").getModule().getName())
                .isEqualTo("javafx.graphics");
        assertThat(FxPump.class.getModule().canRead(javafx.application.Platform.class.getModule())).isTrue();
    }
}
