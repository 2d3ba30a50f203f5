package org.openmarking.client.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.openmarking.client.api.Wire.TaskInfo;
import org.openmarking.client.testing.FakeMarkerApi;
import org.openmarking.client.testing.ManualExecutor;
import org.openmarking.client.testing.MutableClock;

/** The task list says what the marker can do with each task, in the server's terms. */
class TaskListViewModelTest {
    @Test
    void eachTaskSaysWhetherToCalibrateOrMarkAndItsProgress() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-06-22T08:00:00Z"));
        FakeMarkerApi api = FakeMarkerApi.standard(clock, 3);
        api.login(FakeMarkerApi.USER, FakeMarkerApi.PASSWORD);
        TaskListViewModel vm = new TaskListViewModel(api, new ManualExecutor(clock));
        vm.refresh();
        assertEquals(2, vm.tasks().size());
        TaskInfo maths = vm.tasks().get(0);
        assertEquals("Calibrate", TaskListViewModel.actionFor(maths));
        assertEquals("0 of 40 marked; calibration required", TaskListViewModel.progressText(maths));
        assertEquals("Mark", TaskListViewModel.actionFor(vm.tasks().get(1)));
        assertEquals("12 of 30 marked; ready to mark",
                TaskListViewModel.progressText(new TaskInfo("t", "T", 12, 30, false, false, "qualified")));
        assertEquals("5 of 30 marked; suspended from this task",
                TaskListViewModel.progressText(new TaskInfo("t", "T", 5, 30, false, true, "suspended")));
        assertEquals("0 of 30 marked; calibration waiting for a chief examiner",
                TaskListViewModel.progressText(new TaskInfo("t", "T", 0, 30, true, false, "held")));
        assertEquals(0.4, new TaskInfo("t", "T", 12, 30, false, false, "qualified").progress(), 1e-12);
        api.setOffline(true);
        vm.refresh();
        assertEquals("Could not load your tasks: fake: the network is down", vm.statusProperty().get());
    }
}
