"""Every action names what it acts on (issue 31): a roll-back, its undo and a publish carry what the analyst saw (the
newest change-log row, the preview's base build, the publish's id) and are refused, changing nothing, with the
change and the person that moved the live state since; the CLI prints a publish's id and rolls back only the
publish `--publish-id` names. The same through two browser sessions: tests/e2e/test_signin.py."""

from __future__ import annotations

import pytest

from etl import preview, publish, store
from etl.__main__ import main
from etl.authors import Author, shell_account
from tests.helpers import built_copy, snapshot

META = {"title": "INVENTED test figures (not a publication)", "publisher": "The dashboard's test suite",
        "date": "2026", "licence": "test fixture, no data"}
X = Author("Iks Analityczny", "x@example.gov.pl", "OpenID Connect: https://idp.example, subject x")
Y = Author("Ygrek Nowak", "y@example.gov.pl", "OpenID Connect: https://idp.example, subject y")


@pytest.fixture
def live(tmp_path):
    raw, pointer = built_copy(tmp_path)
    return raw, pointer, tmp_path


def source_file(tmp, name: str):
    path = tmp / f"{name}.csv"
    path.write_text("source_id,title,publisher,published,url,licence,caveats,figures\n"
                    f"invented_{name},INVENTED,test,2026,,none,made up,nothing\n", encoding="utf-8")
    return path


def publish_source(live, name: str, by: Author) -> str:
    raw, pointer, tmp = live
    with preview.stage([("sources", source_file(tmp, name))], META, by=str(by), raw_dir=raw, pointer=pointer) as s:
        preview.diff(s, pointer)
        return publish.publish_id_of(publish.publish(s, pointer, by=by, raw_dir=raw).path.name)


def test_a_roll_back_from_a_history_that_moved_is_refused_naming_the_newer_publish_and_who(live):
    raw, pointer, _ = live
    seen = publish_source(live, "a", X)  # X's history ends at X's publish A
    theirs = publish_source(live, "b", Y)  # Y then publishes B
    before = snapshot(pointer), store.read_ledger(pointer)
    with pytest.raises(publish.StaleError) as refused:  # X's roll-back of "the last publish", as X saw it
        publish.rollback(pointer, by=X, raw_dir=raw, expected=seen)
    message = str(refused.value)
    assert f"publish {theirs}" in message and "by Ygrek Nowak <y@example.gov.pl>" in message
    assert [(m["action"], m["publish_id"], m["by"]) for m in refused.value.moved] == [("publish", theirs, Y.name)]
    assert snapshot(pointer) == before[0] and store.read_ledger(pointer).equals(before[1])  # B stays live
    # Named by what is newest now, it acts (and withdraws B, as the one who named it means).
    publish.rollback(pointer, by=X, raw_dir=raw, expected=theirs)
    assert store.read_ledger(pointer).iloc[-1][["action", "publish_id", "by", "by_email"]].tolist() == [
        "rollback", theirs, X.name, X.email]


def test_an_undo_from_a_history_that_moved_is_refused_and_so_is_one_from_an_empty_log(live):
    raw, pointer, _ = live
    a = publish_source(live, "a", X)
    with pytest.raises(publish.StaleError, match=f"publish {a} .*by Iks Analityczny"):
        publish.rollback(pointer, by=Y, raw_dir=raw, expected="")  # Y saw an empty log
    publish.rollback(pointer, by=X, raw_dir=raw, publish_id=a, expected=a)
    seen = a  # X's history ends at the roll-back of A
    publish.restore(pointer, by=Y, raw_dir=raw, publish_id=a, expected=a)  # Y undoes it...
    publish.rollback(pointer, by=Y, raw_dir=raw, publish_id=a, expected=a)  # ...and rolls it back again
    b = publish_source(live, "b", Y)  # then publishes B
    before = store.read_ledger(pointer)
    with pytest.raises(publish.StaleError) as refused:
        publish.restore(pointer, by=X, raw_dir=raw, publish_id=a, expected=seen)
    assert [m["action"] for m in refused.value.moved] == ["publish"] and f"publish {b}" in str(refused.value)
    assert store.read_ledger(pointer).equals(before)


def test_a_publish_staged_before_another_is_refused_naming_it_and_who(live):
    raw, pointer, tmp = live
    with preview.stage([("sources", source_file(tmp, "mine"))], META, by=str(X), raw_dir=raw,
                       pointer=pointer) as mine:
        preview.diff(mine, pointer)  # X's preview, against the live build
        theirs = publish_source(live, "theirs", Y)  # meanwhile Y publishes
        before = store.read_ledger(pointer)
        with pytest.raises(publish.StaleError) as refused:
            publish.publish(mine, pointer, by=X, raw_dir=raw)
    assert f"publish {theirs}" in str(refused.value) and "by Ygrek Nowak <y@example.gov.pl>" in str(refused.value)
    assert store.read_ledger(pointer).equals(before)


def test_a_named_publish_that_is_no_longer_live_is_refused_naming_who_withdrew_it(live):
    raw, pointer, _ = live
    a = publish_source(live, "a", X)
    publish.rollback(pointer, by=Y, raw_dir=raw, publish_id=a)
    with pytest.raises(publish.StaleError, match=f"publish {a} is not live: rollback {a} .* by Ygrek Nowak"):
        publish.rollback(pointer, by=X, raw_dir=raw, publish_id=a)
    publish.restore(pointer, by=Y, raw_dir=raw, publish_id=a)
    with pytest.raises(publish.StaleError, match=f"publish {a} is not rolled back: restore {a} .* by Ygrek Nowak"):
        publish.restore(pointer, by=X, raw_dir=raw, publish_id=a)


def test_the_cli_prints_the_id_and_rolls_back_only_the_publish_it_names(live, capsys):
    raw, pointer, tmp = live

    def etl(*args) -> int:
        return main([*map(str, args), "--db", str(pointer), "--raw", str(raw)])

    assert etl("update", "sources", source_file(tmp, "a"), "--source-title", "INVENTED", "--publisher", "test",
               "--published", "2026", "--licence", "none", "--by", "typed name") == 0
    out, err = capsys.readouterr()
    a = store.read_ledger(pointer).publish_id.iloc[-1]
    assert out.rstrip().endswith(f"publish id: {a}")
    assert "--by is no longer recorded" in err and "typed name" not in store.read_ledger(pointer).by.tolist()
    assert store.read_ledger(pointer).by.iloc[-1] == shell_account().name
    b = publish_source(live, "b", Y)
    before = snapshot(pointer), store.read_ledger(pointer)

    assert etl("rollback") == 2  # no id: nothing changes; it names the latest publish and who made it
    err = capsys.readouterr().err
    assert f"the latest live one is {b}, from publish {b}" in err and "by Ygrek Nowak" in err
    assert f"python -m etl rollback --publish-id {b}" in err
    assert etl("rollback", "--undo") == 2
    assert snapshot(pointer) == before[0] and store.read_ledger(pointer).equals(before[1])

    assert etl("rollback", "--publish-id", a) == 0  # A by its id: B stays live
    assert store.read_ledger(pointer).iloc[-1][["action", "publish_id"]].tolist() == ["rollback", a]
    files = dict(zip(store.read_ledger(pointer).publish_id, store.read_ledger(pointer).file))
    assert (raw / files[b]).exists() and (raw / "updates" / "withdrawn" / files[a].split("/")[-1]).exists()
    assert etl("rollback", "--undo", "--publish", a) == 0  # --publish: the option's earlier name
    assert etl("rollback", "--publish-id", "0123456789ab") == 2  # no such publish
