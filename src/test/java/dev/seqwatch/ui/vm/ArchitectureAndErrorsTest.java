package dev.seqwatch.ui.vm;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.seqwatch.common.CancelledException;
import dev.seqwatch.common.UserFacingException;
import dev.seqwatch.ui.common.ErrorDialogs;
import org.junit.jupiter.api.Test;

import java.util.ResourceBundle;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

class ArchitectureAndErrorsTest {

    @Test
    void onlyTheUiPackageImportsJavaFx() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.seqwatch");
        noClasses().that().resideOutsideOfPackage("dev.seqwatch.ui..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.jfree.chart.fx..", "org.controlsfx..")
                .check(classes);
    }

    @Test
    void errorDialogsShowUserFacingMessagesAsIsAndNeverStackTraces() {
        ResourceBundle text = ResourceBundle.getBundle("i18n.messages");
        assertThat(ErrorDialogs.messageFor(new UserFacingException("events.csv line 3: bad timestamp"), text))
                .isEqualTo("events.csv line 3: bad timestamp");
        assertThat(ErrorDialogs.messageFor(new RuntimeException("wrapped", new UserFacingException("workspace already open")), text))
                .isEqualTo("workspace already open");
        assertThat(ErrorDialogs.messageFor(new CancelledException(), text)).contains("Cancelled");
        String other = ErrorDialogs.messageFor(new IllegalStateException("boom\n\tat x.y(Z.java:1)"), text);
        assertThat(other).isEqualTo("Something went wrong: boom").doesNotContain("at x.y");
    }
}
