package org.openmarking.client.testing;

import java.time.Duration;
import java.time.Instant;
import org.openmarking.client.api.Wire.Session;
import org.openmarking.client.api.Wire.TaskInfo;
import org.openmarking.client.marking.MarkingViewModel;
import org.openmarking.client.marking.UploadQueue;
import org.openmarking.client.session.SessionViewModel;

/** A logged-in session over the fake server with a manual executor and clock, for view-model tests. */
public final class Harness {
    public final MutableClock clock = new MutableClock(Instant.parse("2026-06-22T08:00:00Z"));
    public final ManualExecutor bg = new ManualExecutor(clock);
    public final FakeMarkerApi api;
    public final SessionViewModel session;

    public Harness(int liveAnswers) throws Exception {
        api = FakeMarkerApi.standard(clock, liveAnswers);
        Session s = api.login(FakeMarkerApi.USER, FakeMarkerApi.PASSWORD);
        session = new SessionViewModel(api, s, bg, new UploadQueue(api, bg, Duration.ofSeconds(1), Duration.ofSeconds(8)),
                Duration.ofSeconds(2));
    }

    public TaskInfo task(String id) throws Exception {
        return api.tasks().stream().filter(t -> t.taskId().equals(id)).findFirst().orElseThrow();
    }

    public MarkingViewModel open(String taskId, MarkingViewModel.Mode mode, boolean confirm) throws Exception {
        MarkingViewModel vm = new MarkingViewModel(session, task(taskId), mode, clock);
        vm.confirmMarksProperty().set(confirm);
        vm.open();
        return vm;
    }

    public static final String LIVE = "demo26.native-language.5";
    public static final String CALIBRATION = "demo26.mathematics.21";
}
