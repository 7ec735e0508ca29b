"""An ninh trật tự (Public order): a pack that ships with Toàn Cảnh. It brings criminal offences (the
demo catalogue)."""
