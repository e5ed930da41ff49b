"""Copying to the local clipboard over SSH, the way operators work: a local tmux (with
set-clipboard on) runs ssh to a real sshd on 127.0.0.1, and sesctl on the far side copies
with `y`. The remote side sees TERM from the local tmux's default-terminal and neither
$TMUX nor $STY. With default-terminal screen-256color sesctl used to take TERM=screen* for
GNU screen and cut the OSC 52 into DCS pieces, which tmux does not reassemble: anything
over ~570 bytes never arrived. The local tmux's paste buffer must hold exactly the text,
for 100 bytes and for 5 KB, under both default-terminal settings.

Also: inside tmux (no SSH) one copy leaves one paste buffer, not two."""

import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuitest import BIN, CEILING, DEMO_ACCOUNT, REGION, TmuxMixin, TuiTest, demo_identities  # noqa: E402

SSHD = "/usr/sbin/sshd"


def policy_doc(size, fill):
    """A one-line policy document of exactly size bytes."""
    head, tail = '{"Version":"2012-10-17","Statement":[],"Id":"', '"}'
    return head + fill * (size - len(head) - len(tail)) + tail


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sshd:
    """sshd -D on a free loopback port, keys and config in a private directory."""

    def __init__(self, home):
        self.dir = tempfile.mkdtemp(prefix="sesctl-sshd-")
        self.port = free_port()
        self.host_key = os.path.join(self.dir, "host_ed25519")
        self.key = os.path.join(self.dir, "client_ed25519")
        for k in (self.host_key, self.key):
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", k], check=True)
        auth = os.path.join(self.dir, "authorized_keys")
        shutil.copy(self.key + ".pub", auth)
        os.chmod(auth, 0o600)
        os.makedirs("/run/sshd", exist_ok=True)  # privilege separation directory
        cfg = os.path.join(self.dir, "sshd_config")
        with open(cfg, "w") as f:
            f.write(f"""Port {self.port}
ListenAddress 127.0.0.1
HostKey {self.host_key}
AuthorizedKeysFile {auth}
PidFile {os.path.join(self.dir, "sshd.pid")}
PermitRootLogin yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PrintMotd no
PrintLastLog no
""")
        self.log = open(os.path.join(self.dir, "sshd.log"), "w")
        self.proc = subprocess.Popen([SSHD, "-D", "-e", "-f", cfg], stdout=self.log,
                                     stderr=subprocess.STDOUT)
        self.wait_listening()

    def wait_listening(self):
        import socket
        deadline = time.monotonic() + CEILING
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("sshd exited: " + open(self.log.name).read())
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("sshd did not listen")

    def ssh_argv(self):
        return ["ssh", "-t", "-q", "-p", str(self.port), "-i", self.key,
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                "-o", "BatchMode=yes", "root@127.0.0.1"]

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def sshd_usable():
    return os.access(SSHD, os.X_OK) and shutil.which("ssh") and shutil.which("ssh-keygen") \
        and shutil.which("tmux") and os.geteuid() == 0


@unittest.skipUnless(sshd_usable(), "SKIP: needs root, tmux, ssh and sshd (openssh-server)")
class CopyOverSsh(TmuxMixin, TuiTest):
    SIZES = {100: "A", 5000: "B"}

    def setUp(self):
        super().setUp()
        self.write_config("[global]\nrefresh = 0\n")
        ids = demo_identities()
        for x in ids:
            if x["name"] == "partner.example":
                x["policies"] = [{"name": f"p{n}", "document": policy_doc(n, c)}
                                 for n, c in self.SIZES.items()]
        self.seed_cache(ids, DEMO_ACCOUNT)
        self.sshd = Sshd(self.home)

    def tearDown(self):
        self.sshd.stop()
        super().tearDown()

    def start_over_ssh(self, default_terminal):
        env = self.env(132, 43)
        for k in ("SESCTL_NO_DISPLAY", "LINES", "COLUMNS", "TERM"):
            env.pop(k, None)
        # the far side: this test's HOME and config, TERM as ssh passed it, no TMUX/STY
        remote = "env -u TMUX -u STY " + " ".join(shlex.quote(f"{k}={v}") for k, v in env.items()) \
            + ' TERM="$TERM" ' + " ".join(shlex.quote(a) for a in
                                          [BIN, "--cache", self.cache, "--region", REGION])
        cmd = " ".join(shlex.quote(a) for a in self.sshd.ssh_argv()) + " " + shlex.quote(remote)
        self.tmux("-f", "/dev/null", "new-session", "-d", "-x", "132", "-y", "43", "sh", ";",
                  "set-option", "-g", "set-clipboard", "on", ";",
                  "set-option", "-g", "default-terminal", default_terminal)
        self.started = True
        # a new window takes the default-terminal just set
        self.tmux("new-window", "-t", "0:1", cmd)

    def copy(self, marker):
        self.tmux("send-keys", "-t", "0:1", "/")
        self.tmux("send-keys", "-t", "0:1", "-l", marker * 8)
        self.tmux("send-keys", "-t", "0:1", "Enter")
        self.tmux("send-keys", "-t", "0:1", "y")

    def buffer_after_copy(self, want):
        deadline = time.monotonic() + CEILING
        got = ""
        while time.monotonic() < deadline:
            got = self.tmux("show-buffer", check=False)
            if got == want:
                return got
            time.sleep(0.1)
        return got

    def screen1(self):
        return self.tmux("capture-pane", "-p", "-t", "0:1")

    def wait_for1(self, text):
        deadline = time.monotonic() + CEILING
        while time.monotonic() < deadline:
            s = self.screen1()
            if text in s:
                return s
            time.sleep(0.05)
        self.fail(f"{text!r} did not appear:\n{self.screen1()}")

    def check_terminal(self, default_terminal):
        self.start_over_ssh(default_terminal)
        self.wait_for1("partner.example")
        self.tmux("send-keys", "-t", "0:1", "/")
        self.tmux("send-keys", "-t", "0:1", "-l", "partner")
        self.tmux("send-keys", "-t", "0:1", "Enter")
        self.wait_for1("filter /partner  1/1")
        self.tmux("send-keys", "-t", "0:1", "Enter")
        self.wait_for1("identity partner.example")
        for size, fill in self.SIZES.items():
            want = policy_doc(size, fill)
            self.copy(fill)
            got = self.buffer_after_copy(want)
            self.assertEqual(len(got), size, f"{default_terminal}: {size} bytes did not arrive "
                             f"(got {len(got)}):\n{self.screen1()}")
            self.assertEqual(got, want)
            self.tmux("send-keys", "-t", "0:1", "Escape")  # clear the detail filter
            self.tmux("delete-buffer", check=False)

    def test_screen_256color_over_ssh(self):
        self.check_terminal("screen-256color")

    def test_tmux_256color_over_ssh(self):
        self.check_terminal("tmux-256color")


@unittest.skipUnless(shutil.which("tmux"), "SKIP tmux is not installed")
class OneCopyOneBuffer(TmuxMixin, TuiTest):
    def test_one_copy_leaves_one_paste_buffer(self):
        self.write_config("[global]\nrefresh = 0\n")
        self.seed_cache(demo_identities(), DEMO_ACCOUNT)
        self.start()
        self.tmux("set-option", "-g", "set-clipboard", "on")
        self.wait_for("billing.example")
        self.tmux("send-keys", "y")
        # the toast is drawn after the copy: any OSC 52 written with it came before, and tmux
        # handles a pane's output in order
        self.wait_for("via tmux buffer")
        buffers = self.tmux("list-buffers").strip().splitlines()
        self.assertEqual(len(buffers), 1, buffers)


if __name__ == "__main__":
    unittest.main()
