// The application shell: the navigation menu on phones (the side navigation folds away under 900 px).
const button = document.querySelector(".menu-button");
const nav = document.getElementById("sidenav");
if (button && nav) {
  button.addEventListener("click", () => {
    const open = nav.classList.toggle("open");
    button.setAttribute("aria-expanded", String(open));
  });
}
