package io.leadscore.server.model;

import java.util.List;

/** A model document with problems; carries every problem found, not just the first. */
public class ModelDocumentException extends RuntimeException {

    private final List<ModelProblem> problems;

    public ModelDocumentException(List<ModelProblem> problems) {
        super(problems.size() + " problem(s): " + problems, null, false, false);
        this.problems = List.copyOf(problems);
    }

    public List<ModelProblem> problems() {
        return problems;
    }
}
