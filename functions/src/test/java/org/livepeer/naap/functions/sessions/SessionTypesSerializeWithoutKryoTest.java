package org.livepeer.naap.functions.sessions;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;

import org.junit.jupiter.api.Test;
import org.livepeer.naap.schemas.TelemetryEvent;
import org.livepeer.naap.schemas.output.SessionFact;

/** The session tracker's state and output are Flink POJOs: no Kryo fallback. */
class SessionTypesSerializeWithoutKryoTest {

    @Test
    void stateAndOutputArePojos() {
        assertSerializedAsPojoWithoutKryo(SessionState.class);
        assertSerializedAsPojoWithoutKryo(SessionFact.class);
        assertSerializedAsPojoWithoutKryo(TelemetryEvent.class);
    }
}
