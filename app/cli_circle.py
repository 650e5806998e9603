"""``tend circle ...``: the circle on a shared server, from the command line (see app.circle).

For scripts, the plain mode and screen readers. Every subcommand checks the circle folder
first; an unsafe one (world-readable, not sticky, a link, a group you are not in) is refused
with exit 2 and the reason, and so is any other request the circle cannot take.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

EXIT_OK = 0
EXIT_PROBLEM = 1
EXIT_USAGE = 2

if TYPE_CHECKING:
    from app.storage import Store

SHARE_WORDS = {"status": "your status", "checkins": "check-ins", "asks": "asks for a debrief"}


def register(sub: Any) -> None:
    """Add ``tend circle`` and its subcommands to the top-level subparsers ``sub``."""
    circle = sub.add_parser("circle", help="reach colleagues who use Tend on this server")
    _data(circle)
    commands = circle.add_subparsers(dest="circle_command", metavar="WHAT", parser_class=type(circle))
    # 'tend circle' alone lists what it can do (run_circle), rather than argparse's bare
    # "the following arguments are required: WHAT".
    circle.set_defaults(circle_command=None, circle_help=circle.format_help)

    create = commands.add_parser("create", help="make a circle folder for a group (for whoever runs the group)")
    create.add_argument("dir", metavar="DIR")
    create.add_argument("--group", required=True, metavar="GROUP", help="the Unix group whose members may join")
    join = commands.add_parser("join", help="join the circle in DIR")
    join.add_argument("dir", metavar="DIR")
    share = commands.add_parser("share", help="turn sharing your status, check-ins or asks on or off")
    share.add_argument("what", choices=sorted(SHARE_WORDS))
    share.add_argument("state", choices=["on", "off"])
    send = commands.add_parser("send", help="a check-in to a member")
    send.add_argument("member", metavar="MEMBER", help="their user name")
    send.add_argument("text", metavar="TEXT")
    status = commands.add_parser("status", help="share a status that ends by itself")
    status.add_argument("text", metavar="TEXT", nargs="?", default=None)
    status.add_argument("--until", metavar="TIME", default=None, help="when it ends (12:30, 45m); the end of today if not given")
    status.add_argument("--clear", action="store_true", help="take your status down now")
    ask = commands.add_parser("ask", help="'could use a debrief', to everyone or to chosen members")
    ask.add_argument("text", metavar="TEXT", nargs="?", default="")
    ask.add_argument("--to", metavar="NAMES", default="", help="user names, separated by commas (everyone if not given)")
    take = commands.add_parser("take", help="answer someone's ask ('I can')")
    take.add_argument("ask", metavar="SENDER/ID", help="as 'tend circle inbox' shows it")
    take.add_argument("text", metavar="TEXT", nargs="?", default="")
    inbox = commands.add_parser("inbox", help="check-ins, asks and statuses waiting for you")
    inbox.add_argument("--json", action="store_true", help="for scripts: sender, time and text of each")
    delete = commands.add_parser("delete", help="delete something you sent")
    delete.add_argument("id", metavar="ID")
    commands.add_parser("leave", help="leave the circle, removing everything you wrote")
    link = commands.add_parser("link", help="link one of your colleagues to a member, so their card shows their status")
    link.add_argument("member", metavar="MEMBER", help="their user name ('' to unlink)")
    link.add_argument("colleague", metavar="NAME", help="the colleague's name, as Tend shows it")
    for parser in commands.choices.values():
        _data(parser)


def _data(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data", metavar="DIR", default=argparse.SUPPRESS,
        help="the folder for Tend's data (default: $TEND_DATA_DIR, else the XDG data folder)",
    )  # fmt: skip


def _say(message: str, *, error: bool = False) -> None:
    from app.textclean import visible_message

    print(visible_message(message), file=sys.stderr if error else sys.stdout)


def _store(args: argparse.Namespace) -> Store:
    from app.paths import resolve_data_dir
    from app.storage import Store

    return Store.open(resolve_data_dir(getattr(args, "data", None)))


class _Refused(Exception):
    """A usage problem: said on stderr, exit 2."""


def _joined(store: Store) -> str:
    from app.circle import check_circle

    circle = store.settings().circle_dir
    if not circle:
        raise _Refused("You have not joined a circle yet: tend circle join DIR")
    check_circle(circle)
    return circle


def _sharing(store: Store, what: str) -> None:
    if not getattr(store.settings(), f"circle_share_{what}"):
        raise _Refused(f"Sharing {SHARE_WORDS[what]} is off. Turn it on with: tend circle share {what} on")


def run_circle(args: argparse.Namespace) -> int:
    """Run ``tend circle <what>``; returns the exit code."""
    from app.circle import CircleError
    from app.storage import StoreError

    if args.circle_command is None:
        _say("Say what to do in the circle, for example: tend circle inbox\n\n" + args.circle_help(), error=True)
        return EXIT_USAGE

    try:
        message = _run(args)
    except (CircleError, _Refused) as error:
        _say(f"tend circle: {error}", error=True)
        return EXIT_USAGE
    except StoreError as error:
        _say(f"tend circle: {error}", error=True)
        return EXIT_PROBLEM
    except OSError as error:
        _say(f"tend circle: that did not work ({error.strerror}). Nothing else was changed.", error=True)
        return EXIT_PROBLEM
    if message:
        _say(message)
    return EXIT_OK


def _run(args: argparse.Namespace) -> str:
    from app import circle as c

    what = args.circle_command
    if what == "create":
        return c.create_circle(Path(args.dir).absolute(), args.group)
    store = _store(args)
    if what == "join":
        path = str(Path(args.dir).absolute())
        said = c.join_circle(path)
        store.update_settings(circle_dir=path)
        return said
    circle = _joined(store)
    settings = store.settings()
    if what == "share":
        store.update_settings(**{f"circle_share_{args.what}": args.state == "on"})
        return f"Sharing {SHARE_WORDS[args.what]}: {args.state}."
    if what == "send":
        _sharing(store, "checkins")
        c.send_checkin(circle, args.member, args.text)
        from app.models import Colleague

        colleague = c.linked_colleague(store.all(Colleague), args.member)
        c.after_checkin_sent(store, colleague)
        logged = f" Logged as a contact with {colleague.name}." if colleague else ""
        return f"Sent to {args.member}.{logged}"
    if what == "status":
        if args.clear:
            return "Your status is down." if c.clear_status(circle) else "You had no status up."
        _sharing(store, "status")
        if not args.text:
            raise _Refused("Say what your status is, like: tend circle status 'free for a debrief' --until 12:30")
        until = None
        if args.until:
            from app.breaks import UntilError, parse_until

            try:
                until = parse_until(args.until)
            except UntilError as error:
                raise _Refused(f"--until: {error}") from None
        end = c.set_status(circle, args.text, until)
        return f"Shared until {end.format('HH:mm')}; it goes by itself then."
    if what == "ask":
        _sharing(store, "asks")
        to = [name.strip() for name in args.to.split(",") if name.strip()]
        ask_id = c.send_ask(circle, args.text, to)
        return f"Asked {', '.join(to) if to else 'the circle'} ({ask_id}). The first to answer takes it."
    if what == "take":
        _sharing(store, "asks")
        sender, _, ask_id = args.ask.partition("/")
        c.answer_ask(circle, sender, ask_id, args.text)
        return f"You took {sender}'s ask; they will see it, and so will the others."
    if what == "delete":
        if c.delete_sent(circle, args.id):
            return "Deleted."
        raise _Refused(f"You sent nothing called {args.id} (tend circle inbox lists what you sent).")
    if what == "link":
        return _link(store, args.member, args.colleague)
    if what == "leave":
        removed = c.leave_circle(circle)
        store.update_settings(circle_dir="", circle_seen=[])
        return f"You left the circle; {removed} file{'s' if removed != 1 else ''} you wrote went with you."
    # inbox
    c.prune_own(circle, settings.circle_expiry_days)
    view = c.read_circle(circle, expiry_days=settings.circle_expiry_days)
    for problem in view.problems:
        _say(f"tend circle: {problem}", error=True)
    if args.json:
        return json.dumps(_as_json(view, settings.circle_seen), ensure_ascii=False, indent=1)
    return _as_text(view, settings.circle_seen)


def _as_json(view: Any, seen: list[str]) -> dict[str, Any]:
    return {
        "me": view.me,
        "checkins": [
            {"id": m.key, "from": m.sender, "time": m.when.isoformat(), "text": m.text, "seen": m.key in seen}
            for m in view.checkins
        ],
        "asks": [
            {"id": a.key, "from": a.sender, "time": a.when.isoformat(), "text": a.text, "to": list(a.to),
             "taken_by": a.taken_by or None}
            for a in view.asks
        ],
        "statuses": [
            {"member": s.member, "text": s.text, "until": s.until.isoformat()} for s in view.statuses.values()
        ],
        "sent": [{"id": m.id, "kind": m.kind, "time": m.when.isoformat(), "text": m.text, "to": list(m.to)} for m in view.sent],
        "members": view.members,
        "skipped": view.problems,
    }  # fmt: skip


def _as_text(view: Any, seen: list[str]) -> str:
    lines: list[str] = []
    for m in view.checkins:
        mark = "" if m.key not in seen else " (seen)"
        lines.append(f"{m.sender} checked in, {m.when.format('ddd HH:mm')}{mark}: {m.text}")
    for a in view.asks:
        if a.sender == view.me:
            answer = f"{a.taken_by} took it: {a.answer}" if a.taken_by else "nobody has answered yet"
            lines.append(f"You asked for a debrief ({a.id}): {answer}")
        else:
            state = f"{a.taken_by} took it" if a.taken_by else f"tend circle take {a.key}"
            lines.append(f"{a.sender} could use a debrief, {a.when.format('ddd HH:mm')}: {a.text} ({state})")
    for s in view.statuses.values():
        lines.append(f"{s.member}: {s.text} (until {s.until.format('HH:mm')})")
    if not lines:
        return "Nothing waiting in the circle."
    return "\n".join(lines)


def _link(store: Store, member: str, name: str) -> str:
    from app.models import Colleague
    from app.textclean import clean_text

    wanted = clean_text(name).casefold()
    matches = [c for c in store.all(Colleague) if c.name.casefold() == wanted]
    if len(matches) != 1:
        raise _Refused(
            f"No colleague is called {clean_text(name)}." if not matches
            else f"{len(matches)} colleagues are called {clean_text(name)}; give the one to link a different name first."
        )  # fmt: skip
    colleague = matches[0]
    member = clean_text(member, limit=64)
    colleague.circle_user = member
    store.update(colleague)
    return f"{colleague.name} is linked to {member} in the circle." if member else f"{colleague.name} is no longer linked."
