package org.openmarking.client.marking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.openmarking.client.connect.Settings;

/** The confirm step's setting: remembered when the marker toggles it, overridden for one run by --no-confirm. */
class ConfirmChoiceTest {

    @Test
    void theMarkersToggleIsRememberedForTheNextRun() {
        Settings settings = Settings.inMemory();
        ConfirmChoice first = new ConfirmChoice(settings, false);
        assertTrue(first.property().get(), "on until the marker turns it off");
        first.property().set(false);
        assertEquals(Optional.of("false"), settings.get(Settings.CONFIRM_MARKS));
        assertFalse(new ConfirmChoice(settings, false).property().get(), "the next run starts as the marker left it");
        ConfirmChoice third = new ConfirmChoice(settings, false);
        third.property().set(true);
        assertTrue(new ConfirmChoice(settings, false).property().get());
    }

    @Test
    void noConfirmTurnsItOffForThisRunOnlyWithoutChangingWhatIsRemembered() {
        Settings settings = Settings.inMemory();
        settings.put(Settings.CONFIRM_MARKS, "true");
        assertFalse(new ConfirmChoice(settings, true).property().get());
        assertEquals(Optional.of("true"), settings.get(Settings.CONFIRM_MARKS), "the switch alone is not remembered");
        assertTrue(new ConfirmChoice(settings, false).property().get(), "a run without --no-confirm asks again");
    }

    @Test
    void eachMarkingScreenFollowsTheChoice() throws Exception {
        Settings settings = Settings.inMemory();
        ConfirmChoice choice = new ConfirmChoice(settings, false);
        var h = new org.openmarking.client.testing.Harness(3);
        MarkingViewModel vm = new MarkingViewModel(h.session, h.task(org.openmarking.client.testing.Harness.LIVE),
                MarkingViewModel.Mode.LIVE, h.clock);
        vm.confirmMarksProperty().bindBidirectional(choice.property());
        vm.open();
        vm.confirmMarksProperty().set(false); // the toggle on the marking screen
        assertEquals(Optional.of("false"), settings.get(Settings.CONFIRM_MARKS));
        vm.choose(org.openmarking.domain.Mark.FULL);
        assertEquals(1, h.api.marks().size(), "no confirm step once it is off");
    }
}
