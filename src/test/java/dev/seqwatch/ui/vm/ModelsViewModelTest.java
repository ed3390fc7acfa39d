package dev.seqwatch.ui.vm;

import dev.seqwatch.detect.DetectorRegistry;
import dev.seqwatch.store.Workspace;
import dev.seqwatch.ui.TestWorkspaces;
import dev.seqwatch.ui.app.WorkspaceModel;
import dev.seqwatch.ui.common.CurrentThreadTaskExecutor;
import dev.seqwatch.ui.models.ModelsViewModel;
import dev.seqwatch.ui.models.VersionRow;
import dev.seqwatch.workflow.InvestigationService;
import dev.seqwatch.workflow.ModelService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Train, cancel, compare and activate through the Models view-model, synchronously. */
class ModelsViewModelTest {
    @TempDir
    Path dir;
    Workspace ws;
    CurrentThreadTaskExecutor tasks;
    WorkspaceModel model;
    ModelsViewModel vm;

    @BeforeEach
    void setUp() {
        ws = TestWorkspaces.scored(dir, 80);
        tasks = new CurrentThreadTaskExecutor();
        model = new WorkspaceModel(new InvestigationService(ws, "alice"), tasks);
        DetectorRegistry registry = DetectorRegistry.standard();
        vm = new ModelsViewModel(model, new ModelService(ws, registry), registry.names());
        model.reload(null);
    }

    @AfterEach
    void tearDown() {
        ws.close();
    }

    @Test
    void retrainStoresANewInactiveVersionWithMetricsThenActivateRescoresIt() {
        assertThat(vm.versions()).hasSize(1);
        vm.detectorProperty().set("markov");
        vm.train();
        assertThat(tasks.unhandledErrors()).isEmpty();
        assertThat(vm.versions()).hasSize(2);
        VersionRow fresh = vm.versions().get(0);
        assertThat(fresh.detector()).isEqualTo("markov");
        assertThat(fresh.active()).isFalse(); // never activated by itself
        assertThat(fresh.trainedOn()).contains("(2 fraud out)"); // u0, u10 labelled fraud
        assertThat(fresh.rocAuc()).isBetween(0.0, 1.0);
        assertThat(vm.messageProperty().get()).contains("Version " + fresh.id() + " trained");

        vm.train();
        int other = vm.versions().get(0).id();
        vm.compare(fresh.id(), other);
        assertThat(vm.comparison()).isNotEmpty();
        assertThat(vm.comparison().get(0).metric()).isEqualTo("ROC-AUC");
        assertThat(vm.comparison().get(0).a()).isEqualTo(vm.comparison().get(0).b()); // same detector, same seed

        vm.activate(fresh.id());
        assertThat(model.activeModelId()).isEqualTo(fresh.id());
        assertThat(model.rows()).hasSize(80);
        assertThat(vm.versions().stream().filter(VersionRow::active).map(VersionRow::id)).containsExactly(fresh.id());
    }

    @Test
    void cancelledTrainingStoresNothing() {
        vm.detectorProperty().set("markov");
        tasks.cancelAfterProgressReports(1);
        vm.train();
        assertThat(vm.messageProperty().get()).contains("cancelled");
        assertThat(vm.busyProperty().get()).isFalse();
        vm.refreshVersions();
        assertThat(vm.versions()).hasSize(1);
    }

    @Test
    void compareDetectorsFillsTableRowsWithCurves() {
        var cmp = new dev.seqwatch.ui.compare.CompareViewModel(model, DetectorRegistry.standard());
        cmp.chosen().clear();
        cmp.chosen().addAll(java.util.List.of("markov", "zscore"));
        cmp.run();
        assertThat(tasks.unhandledErrors()).isEmpty();
        assertThat(cmp.rows()).extracting(r -> r.detector()).contains("markov", "zscore");
        assertThat(cmp.rows()).filteredOn(r -> r.error() == null).allMatch(r -> r.curve() != null);
        assertThat(cmp.messageProperty().get()).contains("Best by PR-AUC");
        // per fraud type recall for the table, and a compared row made the active model
        assertThat(cmp.fraudTypes()).isNotEmpty();
        var markovRow = cmp.rows().stream().filter(r -> r.detector().equals("markov") && r.error() == null).findFirst().orElseThrow();
        assertThat(dev.seqwatch.ui.compare.CompareViewModel.recallOf(markovRow, cmp.fraudTypes().get(0))).matches("\\d\\.\\d\\d|");
        int before = model.service().workspace().read(c -> new dev.seqwatch.store.ModelDao().active(c)).map(m -> m.id()).orElse(0);
        assertThat(cmp.activate(markovRow)).isTrue();
        assertThat(tasks.unhandledErrors()).isEmpty();
        var active = model.service().workspace().read(c -> new dev.seqwatch.store.ModelDao().active(c)).orElseThrow();
        assertThat(active.id()).isNotEqualTo(before);
        assertThat(active.detector()).isEqualTo("markov");
        assertThat(cmp.messageProperty().get()).contains("is active");
    }
}
