package org.openmarking.server.demo;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Plausible marking criteria for the demo exam's written items, by subject. */
final class SampleCriteria {
    private SampleCriteria() {
    }

    static JsonObject forTask(String taskId) {
        String[][] clauses;
        if (taskId.contains(".mathematics.")) {
            clauses = new String[][] {
                {"Correct method and correct final answer with units", "1"},
                {"Correct method; one arithmetic slip carried through consistently", "2/3"},
                {"Correct equation set up, not solved", "1/2"},
                {"Relevant first step only (a correct formula or diagram)", "1/3"},
                {"No relevant work, or only the answer without justification", "0"}};
        } else if (taskId.contains(".foreign-language.")) {
            clauses = new String[][] {
                {"Answer complete, accurate and grammatically correct", "1"},
                {"Answer complete with minor language errors that do not obscure meaning", "2/3"},
                {"Half of the required information given", "1/2"},
                {"Some relevant information, mostly incomplete", "1/3"},
                {"Irrelevant, copied from the text without understanding, or blank", "0"}};
        } else {
            clauses = new String[][] {
                {"Main idea identified and supported with a quotation from the text", "1"},
                {"Main idea identified, support weak or partly off the point", "2/3"},
                {"Main idea identified without support", "1/2"},
                {"A secondary idea identified instead of the main one", "1/3"},
                {"Wrong idea, unrelated text or blank", "0"}};
        }
        JsonArray list = new JsonArray();
        for (int i = 0; i < clauses.length; i++) {
            list.add(new JsonObject().put("number", i + 1).put("text", clauses[i][0]).put("mark", clauses[i][1]));
        }
        return new JsonObject().put("note", "criteria as approved before marking").put("clauses", list);
    }
}
