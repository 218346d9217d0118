# feature: framework-homeassistant
"""Home Assistant runs a `@callback` function on the loop wherever it is registered, and reads
an entity's state properties on the loop; a plain sync function handed to an event helper,
the bus, the dispatcher or a service goes through a HassJob that runs it in the executor, as
do async_add_executor_job targets, a sync setup_platform and a sync Entity.update."""

import json
import subprocess
from datetime import timedelta
from pathlib import Path

import requests
from homeassistant.components.sensor import SensorEntity
from homeassistant.core import Event, HomeAssistant, ServiceCall, callback
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.event import (
    async_call_later,
    async_track_state_change_event,
    async_track_time_interval,
)
from homeassistant.helpers.update_coordinator import CoordinatorEntity

STATE = Path("/config/.storage/garden.json")


def read_schedule() -> dict:
    return json.loads(STATE.read_text())  # ok: reported where the loop calls it


@callback
def on_state(event: Event) -> None:
    requests.post("https://garden.example/state", json=event.data)  # expect: BIO406


@callback
def on_signal(zone: str) -> None:
    read_schedule()  # expect: BIO102


def on_state_plain(event: Event) -> None:
    requests.post("https://garden.example/state", json=event.data)  # ok: not @callback: HA runs it in the executor


def on_signal_plain(zone: str) -> None:
    read_schedule()  # ok: not @callback: HA runs it in the executor


def poll(now) -> None:
    subprocess.run(["garden-ctl", "poll"])  # ok: not @callback: HA runs it in the executor


def water(call: ServiceCall) -> None:
    subprocess.run(["garden-ctl", "water", call.data["zone"]])  # ok: a sync service handler runs in the executor


def setup_platform(hass: HomeAssistant, config, add_entities, discovery_info=None) -> None:
    add_entities([Valve(read_schedule())])  # ok: a sync setup_platform runs in the executor


class Valve(Entity):
    def __init__(self, schedule: dict) -> None:
        self.schedule = schedule

    def update(self) -> None:
        self.schedule = read_schedule()  # ok: a sync update runs in the executor

    @callback
    def _handle_tick(self, now) -> None:
        self.schedule = read_schedule()  # expect: BIO102

    async def async_added_to_hass(self) -> None:
        async_track_time_interval(self.hass, self._handle_tick, timedelta(minutes=1))  # ok: the callback's body is where it blocks
        await self.hass.async_add_executor_job(read_schedule)  # ok: offloaded
        await self.hass.async_add_executor_job(lambda: STATE.read_text())  # ok: offloaded


async def async_setup(hass: HomeAssistant, config: dict) -> bool:
    async_track_state_change_event(hass, ["valve.garden"], on_state)  # ok: on_state is the loop root
    async_track_state_change_event(hass, ["valve.garden"], on_state_plain)  # ok: runs in the executor
    async_dispatcher_connect(hass, "garden_zone", on_signal)  # ok: on_signal is the loop root
    async_dispatcher_connect(hass, "garden_zone", on_signal_plain)  # ok: runs in the executor
    async_call_later(hass, 30, poll)  # ok: runs in the executor
    hass.bus.async_listen("garden_event", on_state_plain)  # ok: runs in the executor
    hass.services.async_register("garden", "water", water)  # ok: runs in the executor
    await hass.async_add_import_executor_job(read_schedule)  # ok: offloaded
    return True


class Level(CoordinatorEntity, SensorEntity):
    @property
    def native_value(self) -> float:
        return float((STATE.parent / "level").read_text())  # expect: BIO102

    @property
    def extra_state_attributes(self) -> dict:
        return {"zone": "garden"}  # ok: no IO

    def refresh(self) -> str:
        return (STATE.parent / "level").read_text()  # ok: not a property HA reads


class Report:
    @property
    def native_value(self) -> str:
        return STATE.read_text()  # ok: not an Entity: nothing says HA reads it
