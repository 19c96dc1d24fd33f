package org.livepeer.naap.functions;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;

import org.junit.jupiter.api.Test;
import org.livepeer.naap.schemas.RawRecord;
import org.livepeer.naap.schemas.Rejection;
import org.livepeer.naap.schemas.TelemetryEvent;

/** The types that flow between operators are Flink POJOs: no Kryo fallback. */
class TypesSerializeWithoutKryoTest {

    @Test
    void streamTypesArePojos() {
        assertSerializedAsPojoWithoutKryo(RawRecord.class);
        assertSerializedAsPojoWithoutKryo(TelemetryEvent.class);
        assertSerializedAsPojoWithoutKryo(Rejection.class);
    }
}
