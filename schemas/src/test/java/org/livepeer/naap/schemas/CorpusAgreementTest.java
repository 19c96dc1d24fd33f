package org.livepeer.naap.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The parser and {@code event.schema.json} agree on accept/reject for every corpus record. A record
 * counts as accepted by the parser when every output is an accepted event (an array with one bad
 * element is rejected as a record, as the schema rejects it).
 *
 * <p>Two rejection classes are left out of the corpus because a JSON Schema cannot see them: {@code
 * too_large} depends on the byte length and the configured limit, not on content; and invalid UTF-8
 * never reaches a validator, which only receives decoded text. Both are covered in {@link
 * EventParserRejectionsTest}.
 */
class CorpusAgreementTest {

    @Test
    void theCorpusIsBigEnough() {
        assertThat(Corpus.valid()).hasSizeGreaterThanOrEqualTo(15);
        assertThat(Corpus.broken()).hasSizeGreaterThanOrEqualTo(30);
    }

    @Test
    void everyValidRecordIsAcceptedByBoth() {
        for (String record : Corpus.valid()) {
            Parsed p = Parsed.parse(record);
            assertThat(p.rejected).as(record).isEmpty();
            assertThat(p.accepted).as(record).isNotEmpty();
            assertThat(ContractSchema.errors(ContractSchema.EVENT, record)).as(record).isEmpty();
        }
    }

    @Test
    void everyBrokenRecordIsRejectedByBothWithTheExpectedReason() {
        for (Corpus.Broken b : Corpus.broken()) {
            Parsed p = Parsed.parse(b.record());
            assertThat(p.rejected).as(b.record()).isNotEmpty();
            assertThat(p.rejected.get(0).reason).as(b.record()).isEqualTo(b.reason());
            assertThat(ContractSchema.valid(ContractSchema.EVENT, b.record()))
                    .as("schema must reject: " + b.record())
                    .isFalse();
        }
    }

    @Test
    void parserAndSchemaAgreeOnEveryRecord() {
        List<String> records = new ArrayList<>(Samples.all());
        records.addAll(Corpus.valid());
        Corpus.broken().forEach(b -> records.add(b.record()));
        List<String> disagreements = new ArrayList<>();
        for (String record : records) {
            boolean parser = Parsed.parse(record).allAccepted();
            boolean schema = ContractSchema.valid(ContractSchema.EVENT, record);
            if (parser != schema) {
                disagreements.add(
                        (parser
                                        ? "parser accepts, schema rejects: "
                                        : "parser rejects, schema accepts: ")
                                + record);
            }
        }
        assertThat(disagreements).isEmpty();
    }

    @Test
    void coversEveryReasonClassAValidatorCanSee() {
        List<String> reasons = Corpus.broken().stream().map(Corpus.Broken::reason).toList();
        assertThat(reasons)
                .contains(
                        "malformed_json",
                        "not_an_object",
                        "empty_array",
                        "unsupported_shape",
                        "bad_timestamp",
                        "missing_field:id",
                        "missing_field:type",
                        "missing_field:timestamp",
                        "missing_field:data",
                        "wrong_type:id",
                        "wrong_type:type",
                        "wrong_type:timestamp",
                        "wrong_type:data");
    }
}
