package org.livepeer.naap.workload;

import java.util.function.Consumer;
import org.livepeer.naap.workload.Network.Orchestrator;
import org.livepeer.naap.workload.SessionScript.Status;
import org.livepeer.naap.workload.SessionScript.Step;

/**
 * Plays one session's script in time order, stopping at its cut, and hands its truth row over once
 * it has emitted its last event. It also keeps the orchestrators' in-use slot counts that the
 * capability snapshots report.
 */
final class SessionActor extends Actor {
    final SessionScript script;
    final SessionTruth truth;
    private final Network.LiveModel model;
    private final Consumer<SessionActor> onEnd;
    private final long end;
    private int next;
    private boolean sawStatus;
    private Orchestrator serving;

    SessionActor(SessionScript script, Network net, Consumer<SessionActor> onEnd) {
        this.script = script;
        this.truth = new SessionTruth(script, net::byUri);
        this.model = Network.model(script.model);
        this.onEnd = onEnd;
        long last = Long.MIN_VALUE;
        for (Step s : script.steps) {
            if (s.at < script.cutAt) {
                last = s.at;
            }
        }
        this.end = last;
    }

    @Override
    long peek() {
        if (next >= script.steps.size()) {
            return DONE;
        }
        long at = script.steps.get(next).at;
        return at < script.cutAt ? at : DONE;
    }

    @Override
    Event take() {
        Step step = script.steps.get(next++);
        Event e = SessionPayloads.render(script, step);
        e.session = this;
        e.ownerEnd = end;
        if (step instanceof Status) {
            if (!sawStatus) {
                e.flags |= Event.KEEP;
            }
            sawStatus = true;
        }
        Orchestrator o = step.orchestrator;
        if (o != null && o != serving && o.serves(script.model)) {
            if (serving != null) {
                serving.inUse[model.index()]--;
            }
            o.inUse[model.index()]++;
            serving = o;
        }
        return e;
    }

    @Override
    void finish() {
        if (serving != null) {
            serving.inUse[model.index()]--;
            serving = null;
        }
        onEnd.accept(this);
    }
}
