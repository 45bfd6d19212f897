package io.e3.placement.annealing;

import org.optaplanner.core.api.domain.solution.PlanningEntityCollectionProperty;
import org.optaplanner.core.api.domain.solution.PlanningScore;
import org.optaplanner.core.api.domain.solution.PlanningSolution;
import org.optaplanner.core.api.domain.solution.ProblemFactCollectionProperty;
import org.optaplanner.core.api.domain.valuerange.ValueRangeProvider;
import org.optaplanner.core.api.score.buildin.bendablelong.BendableLongScore;

import java.util.List;

/** The solver's view of one placement (a planning solution). */
@PlanningSolution
public class PlacementProblem {

    @ProblemFactCollectionProperty
    @ValueRangeProvider(id = "nodes")
    private List<NodeFact> nodes;

    @ProblemFactCollectionProperty
    private List<Communication> communications;

    @PlanningEntityCollectionProperty
    private List<InstanceEntity> instances;

    @PlanningScore(bendableHardLevelsSize = 1, bendableSoftLevelsSize = 3)
    private BendableLongScore score;

    /** For the solver's cloning. */
    public PlacementProblem() {
    }

    public PlacementProblem(List<NodeFact> nodes, List<Communication> communications,
                            List<InstanceEntity> instances) {
        this.nodes = nodes;
        this.communications = communications;
        this.instances = instances;
    }

    public List<NodeFact> getNodes() {
        return nodes;
    }

    public List<Communication> getCommunications() {
        return communications;
    }

    public List<InstanceEntity> getInstances() {
        return instances;
    }

    public BendableLongScore getScore() {
        return score;
    }

    public void setScore(BendableLongScore score) {
        this.score = score;
    }
}
