"""An toàn thông tin (Cyber security): a pack that ships with Toàn Cảnh. It brings the sector only, so
far (nothing of it is in the demo yet)."""
