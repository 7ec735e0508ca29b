// On every page of the app: the service worker, the offline queue's banner and its flush, and
// the tokens that let this phone rate or reopen its own reports.
import { flush, queued, tokens } from "./queue.js";

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/phan-anh/sw.js", { scope: "/phan-anh/" }).catch(() => {});
}

function banner(count, done) {
  const el = document.getElementById("fb-queue");
  if (!el) return;
  if (count) {
    el.hidden = false;
    el.textContent = `Có ${count} phản ánh đang chờ gửi — sẽ tự gửi khi có mạng.`;
  } else if (done && done.length) {
    el.hidden = false;
    el.textContent = `Đã gửi các phản ánh đang chờ: ${done.join(", ")}`;
  } else {
    el.hidden = true;
  }
}

function tryFlush() { flush(banner); }

document.addEventListener("DOMContentLoaded", () => {
  banner(queued().length);
  tryFlush();
  // This phone's own report: the token lets it rate or reopen.
  const report = document.querySelector("[data-testid=report-status]");
  if (report) {
    const mine = tokens()[report.dataset.code];
    if (mine) {
      document.querySelectorAll(".fb-token").forEach((i) => { i.value = mine.token; });
      document.getElementById("owner")?.removeAttribute("hidden");
    }
  }
  const list = document.getElementById("mine");
  if (list) {
    const codes = Object.keys(tokens());
    if (codes.length) {
      const h = document.createElement("h2");
      h.textContent = "Phản ánh bạn đã gửi từ máy này";
      list.appendChild(h);
      codes.reverse().forEach((c) => {
        const a = document.createElement("a");
        a.href = `/phan-anh/tra-cuu/${c}/`;
        a.textContent = c;
        a.className = "fb-chip";
        list.appendChild(a);
      });
    }
  }
});
window.addEventListener("online", tryFlush);
