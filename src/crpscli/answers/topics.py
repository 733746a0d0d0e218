"""`crps topics`: the situations and classes people ask about, each with its entries in reading order."""

from __future__ import annotations

from ..evidence.base import EvidenceBase
from .common import Report, report_class


@report_class
class TopicRow:
    id: str
    name: str
    aliases: list[str]
    summary: str
    members: list[str]  # treatment ids, in the topic's order
    member_names: list[str]


@report_class
class TopicsReport(Report):
    records_field = "topics"
    listing = True

    topics: list[TopicRow]


def topics(base: EvidenceBase) -> TopicsReport:
    treatments = base.treatments
    return TopicsReport(
        topics=[
            TopicRow(
                id=topic.id,
                name=topic.name,
                aliases=list(topic.aliases),
                summary=topic.summary,
                members=[m for m in topic.members if m in treatments],
                member_names=[treatments[m].name for m in topic.members if m in treatments],
            )
            for topic in base.topics.values()
        ]
    )
