package org.livepeer.naap.schemas.output;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One row of a capability snapshot: what one orchestrator in one {@code network_capabilities} entry
 * offers for one capability, model and GPU (EVENTS.md, {@code network_capabilities}). The snapshots
 * are where the slots behind {@code cue} and {@code gpu_utilization} come from (METRICS.md,
 * "Windowed metrics"), and the only place that says which GPU serves a model: no trace names it.
 *
 * <p>Unknown is null, never 0 or "": a row without GPU fields says the hardware is unknown, not
 * that there is no GPU. {@link #capacity} and {@link #capacityInUse} belong to the (capability,
 * model) pair and repeat on each of its GPU rows, so they must not be summed over GPUs; {@link
 * #gpuCount} says how many rows share them. The output names are the snake_case forms of these
 * fields (for example {@code capacityInUse} is {@code capacity_in_use}).
 */
public class CapabilityRow {
    /** The event time of the snapshot, epoch ms. */
    public long snapshotTime;

    public String eventId;

    /** The envelope {@code gateway} host that relayed the snapshot; null when unknown. */
    public String gateway;

    // ---- orchestrator

    /**
     * The canonical address ({@code address}), lower-cased; null when the entry has none, so that
     * attribution (which also knows URIs and hot wallets) decides whose row it is.
     */
    public String orchestratorAddress;

    /** {@code local_address}, lower-cased: traces often name the orchestrator by it. */
    public String hotWallet;

    /** {@code orch_uri}, trimmed: attribution joins on it first. */
    public String orchUri;

    /** {@code capabilities.version}, the orchestrator's software version. */
    public String version;

    /** {@code capabilities.constraints.minVersion}. */
    public String minVersion;

    // ---- capability and model

    /** The capability id as sent (a key of {@code capacities} or {@code PerCapability}). */
    public String capability;

    /** The {@code pipeline} of the hardware entry this row's GPU comes from; else null. */
    public String pipeline;

    /** The model name under {@code PerCapability}; null for a capability without models. */
    public String model;

    public Boolean warm;

    /** The model's slots ({@code capacity}) and the slots in use ({@code capacityInUse}). */
    public Long capacity;

    public Long capacityInUse;
    public String runnerVersion;

    /** The matching {@code capabilities_prices} entry's price and the pixels it buys. */
    public BigDecimal pricePerUnit;

    public Long pixelsPerUnit;

    // ---- GPU

    /**
     * The GPU's {@code gpu_info} key ({@code "0"}...) or array index; not unique across entries.
     */
    public String gpuKey;

    /** The GPU's {@code id} (a UUID-like string): unlike the key, it tells GPUs apart. */
    public String gpuId;

    public String gpuName;
    public Long gpuMajor;
    public Long gpuMinor;
    public Long gpuMemoryTotal;
    public Long gpuMemoryFree;

    /**
     * How many GPUs the hardware entries for this model list; null when no entry names the model
     * (hardware unknown), 0 when entries name it but list no GPU.
     */
    public Integer gpuCount;

    /** {@code capacities[capability]}: the slots of the capability as a whole. */
    public Long capabilityCapacity;

    public CapabilityRow() {}

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof CapabilityRow)) {
            return false;
        }
        CapabilityRow r = (CapabilityRow) o;
        return snapshotTime == r.snapshotTime
                && Objects.equals(eventId, r.eventId)
                && Objects.equals(gateway, r.gateway)
                && Objects.equals(orchestratorAddress, r.orchestratorAddress)
                && Objects.equals(hotWallet, r.hotWallet)
                && Objects.equals(orchUri, r.orchUri)
                && Objects.equals(version, r.version)
                && Objects.equals(minVersion, r.minVersion)
                && Objects.equals(capability, r.capability)
                && Objects.equals(pipeline, r.pipeline)
                && Objects.equals(model, r.model)
                && Objects.equals(warm, r.warm)
                && Objects.equals(capacity, r.capacity)
                && Objects.equals(capacityInUse, r.capacityInUse)
                && Objects.equals(runnerVersion, r.runnerVersion)
                && Objects.equals(pricePerUnit, r.pricePerUnit)
                && Objects.equals(pixelsPerUnit, r.pixelsPerUnit)
                && Objects.equals(gpuKey, r.gpuKey)
                && Objects.equals(gpuId, r.gpuId)
                && Objects.equals(gpuName, r.gpuName)
                && Objects.equals(gpuMajor, r.gpuMajor)
                && Objects.equals(gpuMinor, r.gpuMinor)
                && Objects.equals(gpuMemoryTotal, r.gpuMemoryTotal)
                && Objects.equals(gpuMemoryFree, r.gpuMemoryFree)
                && Objects.equals(gpuCount, r.gpuCount)
                && Objects.equals(capabilityCapacity, r.capabilityCapacity);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                snapshotTime, eventId, orchestratorAddress, orchUri, capability, model, gpuId);
    }

    /** Every field, so that a failed comparison shows what differs. */
    @Override
    public String toString() {
        return "CapabilityRow{at="
                + snapshotTime
                + " event="
                + eventId
                + " gateway="
                + gateway
                + " orchestrator="
                + orchestratorAddress
                + " hot="
                + hotWallet
                + " uri="
                + orchUri
                + " version="
                + version
                + "/"
                + minVersion
                + " cap="
                + capability
                + " pipeline="
                + pipeline
                + " model="
                + model
                + " warm="
                + warm
                + " capacity="
                + capacity
                + " inUse="
                + capacityInUse
                + " runner="
                + runnerVersion
                + " price="
                + pricePerUnit
                + "/"
                + pixelsPerUnit
                + " gpu="
                + gpuKey
                + "/"
                + gpuId
                + "/"
                + gpuName
                + "/"
                + gpuMajor
                + "."
                + gpuMinor
                + "/"
                + gpuMemoryFree
                + "of"
                + gpuMemoryTotal
                + " gpus="
                + gpuCount
                + " capabilityCapacity="
                + capabilityCapacity
                + "}";
    }
}
