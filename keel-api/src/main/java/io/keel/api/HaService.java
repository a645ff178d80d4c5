package io.keel.api;

import io.keel.api.dto.HaSettingsRequest;
import io.keel.api.dto.HaSettingsView;
import io.keel.api.dto.MaintenancePlanView;

/** The HA engine's administration (ADR 0030): cluster HA settings and node maintenance. */
public interface HaService {
    HaSettingsView settings();

    /** Changes only the values given; a bad one refuses the request and changes nothing. */
    HaSettingsView setSettings(HaSettingsRequest request);

    /** What entering maintenance would do now: per VM its target node, or what blocks it. */
    MaintenancePlanView maintenancePlan(String node);

    /** Refused (409) with the blockers while anything blocks; otherwise the node leaves the pool. */
    MaintenancePlanView enterMaintenance(String node);

    MaintenancePlanView leaveMaintenance(String node);
}
