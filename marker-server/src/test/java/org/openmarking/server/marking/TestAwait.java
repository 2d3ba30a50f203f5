package org.openmarking.server.marking;

import org.openmarking.server.TestServer;

/** Server-side steps tests run directly. */
final class TestAwait {
    private TestAwait() {
    }

    static ResponseState.Change reconsider(String responseId) {
        return TestServer.await(MarkingFixture.server().app().context().database().pool()
                .withTransaction(tx -> ResponseState.reconsider(tx, responseId)));
    }
}
