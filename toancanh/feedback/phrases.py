"""Phrase tables of the report generator (``texts``): places of Đà Nẵng and the former Quảng Nam,
what people say per sub-category, how they abbreviate, and what agencies answer. Data only."""

# fmt: off
STREETS = (
    "Nguyễn Văn Linh", "Lê Duẩn", "Hùng Vương", "Điện Biên Phủ", "Nguyễn Tất Thành", "Võ Nguyên Giáp", "Ngô Quyền",
    "Trần Cao Vân", "Hàm Nghi", "Ông Ích Khiêm", "Tôn Đức Thắng", "Nguyễn Lương Bằng", "Âu Cơ", "Trường Chinh",
    "Tôn Đản", "Lê Văn Hiến", "Núi Thành", "2 Tháng 9", "Bạch Đằng", "Trần Phú", "Phan Châu Trinh", "Hoàng Diệu",
    "Nguyễn Hữu Thọ", "Cách Mạng Tháng 8", "Phạm Văn Đồng", "Hồ Nghinh", "Hà Huy Tập", "Lê Trọng Tấn",
    "Xô Viết Nghệ Tĩnh", "Hoàng Văn Thái", "Nguyễn Sinh Sắc", "Lê Thanh Nghị", "Trưng Nữ Vương", "Duy Tân",
    "Hải Phòng", "Lý Thái Tổ", "Nguyễn Chí Thanh", "Lê Lợi", "Quang Trung", "Nguyễn Hoàng", "Thái Thị Bôi",
    "Dũng Sĩ Thanh Khê", "Trần Hưng Đạo", "Ngũ Hành Sơn", "Lê Văn Lương", "Mẹ Suốt", "Kinh Dương Vương",
    "Hoàng Thị Loan", "Phan Đăng Lưu", "Nguyễn Phước Lan", "Hai Bà Trưng", "Lý Thường Kiệt", "Cửa Đại",
    "Nguyễn Duy Hiệu", "Phan Chu Trinh", "Huỳnh Thúc Kháng", "Phan Bội Châu", "Trần Quý Cáp", "Nguyễn Thị Minh Khai",
    "Lạc Long Quân", "An Dương Vương",
)
WARDS = (
    "phường Hải Châu", "phường Hòa Cường", "phường Thanh Khê", "phường An Khê", "phường An Hải", "phường Sơn Trà",
    "phường Ngũ Hành Sơn", "phường Hòa Khánh", "phường Hải Vân", "phường Liên Chiểu", "phường Cẩm Lệ",
    "phường Hòa Xuân", "xã Hòa Vang", "xã Hòa Tiến", "xã Bà Nà", "xã Hòa Phước", "phường Hội An",
    "phường Hội An Đông", "phường Hội An Tây", "phường Tam Kỳ", "phường Bàn Thạch", "phường Quảng Phú",
    "phường Điện Bàn", "phường Điện Bàn Bắc", "xã Điện Bàn Tây", "xã Duy Xuyên", "xã Thăng Bình", "xã Núi Thành",
    "xã Đại Lộc", "xã Hiệp Đức", "xã Quế Sơn", "xã Phú Ninh",
)
OLD_DISTRICTS = (
    "quận Hải Châu", "quận Thanh Khê", "quận Sơn Trà", "quận Ngũ Hành Sơn", "quận Liên Chiểu", "quận Cẩm Lệ",
    "huyện Hòa Vang", "TP Hội An", "TP Tam Kỳ", "thị xã Điện Bàn", "huyện Duy Xuyên",
)
HAMLETS = (
    "thôn Phong Nhị", "thôn Thanh Chiêm", "thôn Trà Quế", "thôn Bồ Bản", "thôn Túy Loan", "thôn Quá Giáng",
    "thôn Giáng Nam", "thôn An Ngãi Tây", "thôn Dương Lâm", "thôn Phước Thuận", "thôn La Bông", "thôn Lệ Trạch",
    "thôn Cẩm Nê", "thôn Yến Nê", "thôn Trung Phước", "tổ 12 Hòa Minh", "tổ 5 An Hải Bắc", "khối phố Tây Sơn",
    "thôn Tân Mỹ", "thôn Thanh Tam Đông", "khu dân cư Phước Lý", "khu Nam Việt Á", "khu đô thị Phú Mỹ An",
    "khu tái định cư Hòa Hiệp", "khu Đa Phước", "khu công nghiệp Hòa Khánh",
)
LANDMARKS = (
    "chợ Hàn", "chợ Cồn", "chợ Bắc Mỹ An", "chợ Hòa Khánh", "chợ Đống Đa", "chợ Hòa Cường", "chợ An Hải Đông",
    "chợ Tam Kỳ", "chợ Hội An", "chợ Vĩnh Điện", "chợ Túy Loan", "cầu Rồng", "cầu sông Hàn", "cầu Trần Thị Lý",
    "cầu Thuận Phước", "cầu Cửa Đại", "cầu Cẩm Nam", "bến xe trung tâm", "ngã ba Huế", "vòng xoay Hòa Cầm",
    "công viên Biển Đông", "bãi biển Mỹ Khê", "sân bay Đà Nẵng", "Đại học Bách khoa", "trường THPT Phan Châu Trinh",
    "trường tiểu học Lê Lai", "Bệnh viện C", "Bệnh viện Đà Nẵng", "quảng trường 2/9", "công viên 29/3",
    "âu thuyền Thọ Quang", "cảng cá Thọ Quang", "sông Cổ Cò", "kênh Phú Lộc", "hồ Bàu Trảng", "hầm Kim Liên",
    "nút giao Hòa Cầm", "ga Đà Nẵng", "chùa Cầu", "phố cổ Hội An", "quảng trường 24/3", "bến xe Tam Kỳ",
    "siêu thị Go", "Vincom", "nhà thờ Con Gà", "công viên APEC", "cây xăng Hòa Minh",
)
TIMES = (
    "từ sáng nay", "tối qua", "khoảng 22h đêm qua", "mấy hôm nay", "cả tuần nay", "đã hơn 1 tháng", "từ đầu tháng",
    "chiều nay lúc 16h", "sáng sớm nay khoảng 5h30", "đêm nào cũng vậy", "từ Tết tới giờ", "lúc 23h30", "hôm qua",
    "gần 2 tuần", "mấy ngày mưa vừa rồi", "ngày nào cũng thế", "từ tuần trước", "trưa nay", "khoảng 1h sáng",
    "cuối tuần nào cũng", "đã 3 ngày", "hơn nửa năm nay",
)
GREETINGS = (
    "Kính gửi cơ quan chức năng.", "Xin chào.", "Chào ban quản lý.", "Kính gửi UBND phường.", "Dạ cho em phản ánh.",
    "Tôi là người dân sống tại khu vực này.", "Em xin phản ánh việc sau:", "Alo 1022,", "Gửi các anh chị,",
    "Nhờ tổng đài chuyển giúp.", "Cho em hỏi chút.", "Mình muốn phản ánh:",
)
FEELINGS = (
    "Bức xúc quá!", "Dân khổ lắm rồi.", "Đã phản ánh nhiều lần mà chưa thấy ai xử lý.", "Rất nguy hiểm.",
    "Mong được quan tâm.", "Chán thật sự.", "Người dân rất bức xúc.", "Thật sự quá đáng!!!",
    "Không biết kêu ai nữa.", "Mấy lần gọi rồi mà vẫn vậy.", "Lo quá.", "Mong các anh chị thông cảm mà xử lý sớm.",
    "Cả khu ai cũng than.", "Tôi có chụp hình gửi kèm.", "Có ảnh đính kèm.",
)
ASKS = (
    "Đề nghị cơ quan chức năng kiểm tra xử lý.", "Mong chính quyền sớm xử lý.", "Đề nghị xử lý dứt điểm.",
    "Nhờ phường xuống kiểm tra giúp.", "Xin cảm ơn.", "Mong sớm có phản hồi.", "Đề nghị xử phạt nghiêm.",
    "Rất mong được giải quyết.", "Đề nghị các đơn vị liên quan vào cuộc.", "Cảm ơn 1022.",
)

# Per sub-category: titles, problem sentences ({p} place, {t} time, {l} landmark) and details.
PHRASES: dict[str, dict[str, tuple[str, ...]]] = {
    "sidewalk": {
        "title": (
            "Lấn chiếm vỉa hè", "Buôn bán tràn lòng đường", "Quán nhậu chiếm hết vỉa hè", "Vỉa hè bị chiếm dụng",
            "Chợ tự phát họp dưới lòng đường", "Không có lối đi bộ",
        ),
        "problem": (
            "Quán cà phê ở {p} bày bàn ghế kín vỉa hè, người đi bộ phải xuống lòng đường.",
            "Các hộ kinh doanh tại {p} lấn chiếm vỉa hè để bán hàng, để xe.",
            "Chợ tự phát họp ngay lòng đường {p} {t}, gây mất trật tự.",
            "Quán nhậu {p} kê bàn ghế ra tận lòng đường, buổi tối không có chỗ đi.",
            "Một cửa hàng sửa xe ở {p} chiếm vỉa hè làm chỗ sửa, dầu nhớt loang ra đường.",
            "Xe bán trái cây, hàng rong đậu kín trước {l}.",
            "Vỉa hè {p} bị dựng mái che, bục bệ, kệ hàng lấn ra hết.",
            "Người ta trông giữ xe thu tiền trên vỉa hè {p}.",
            "Hàng quán {p} đặt bảng hiệu, nồi nấu ăn trên vỉa hè.",
            "Cửa hàng vật liệu xây dựng tại {p} để cát, gạch tràn ra lòng đường.",
        ),
        "detail": (
            "Học sinh đi bộ phải đi dưới lòng đường rất nguy hiểm.", "Phường có dẹp rồi nhưng vài bữa lại bày ra.",
            "Người già, xe lăn không đi được.", "Buổi tối còn tràn ra đến nửa đường.",
            "Đã dẹp nhiều lần nhưng tái diễn.", "Có người nói thì họ còn chửi lại.",
        ),
    },
    "construction": {
        "title": (
            "Xây dựng trái phép", "Xây nhà không phép", "Công trình sai phép", "Cơi nới trái phép",
            "Xây dựng lấn đất công", "Xây nhà trên đất nông nghiệp",
        ),
        "problem": (
            "Có hộ đang xây nhà không có giấy phép tại {p}.",
            "Công trình ở {p} xây vượt số tầng được cấp phép, đang đổ mái tầng 5.",
            "Một hộ dân tại {p} cơi nới, lấn chiếm đất công và hành lang kênh.",
            "Đang san lấp, xây tường rào trên đất nông nghiệp ở {p}.",
            "Nhà {p} xây ban công đua ra lấn không gian đường, sai phép.",
            "Xây dựng nhà xưởng trái phép trên đất lúa tại {p} {t}.",
            "Công trình tại {p} thi công cả ban đêm, không treo biển báo giấy phép xây dựng.",
            "Có người phân lô bán nền, làm đường trái phép ở {p}.",
            "Nhà bên cạnh xây lấn qua ranh giới, làm nứt tường nhà tôi ở {p}.",
        ),
        "detail": (
            "Không thấy biển báo công trình.", "Làm rất nhanh, tranh thủ cuối tuần.",
            "Đã báo tổ trưởng nhưng vẫn tiếp tục xây.", "Vật liệu đổ ra đường gây bụi bẩn.",
            "Xây sát bờ sông, nguy cơ sạt lở.",
        ),
    },
    "advertising": {
        "title": (
            "Quảng cáo sai quy định", "Rao vặt dán cột điện", "Treo băng rôn trái phép", "Biển quảng cáo nguy hiểm",
            "Tờ rơi dán tràn lan",
        ),
        "problem": (
            "Rao vặt khoan cắt bê tông, hút hầm cầu dán đầy cột điện, tường nhà ở {p}.",
            "Băng rôn quảng cáo treo ngang đường {p} không có phép.",
            "Biển quảng cáo lớn trên nóc nhà {p} bị bung khung, sắp rơi xuống đường.",
            "Tờ rơi cho vay tiền nhanh dán kín trạm xe buýt gần {l}.",
            "Cửa hàng {p} đặt biển quảng cáo di động, bảng đèn LED chiếm lối đi.",
            "Phun sơn số điện thoại lên tường, trụ điện dọc đường {p}.",
            "Treo phướn, biển hiệu che khuất biển báo giao thông ở {p}.",
        ),
        "detail": (
            "Làm mất mỹ quan đô thị.", "Mới cạo xong thì hôm sau lại dán.", "Gió lớn là đung đưa rất nguy hiểm.",
            "Gọi theo số đó thì là dịch vụ cho vay nặng lãi.",
        ),
    },
    "waste": {
        "title": (
            "Rác thải không được thu gom", "Bãi rác tự phát", "Đổ trộm rác, xà bần", "Rác ùn ứ", "Vứt rác bừa bãi",
        ),
        "problem": (
            "Rác thải tồn đọng ở {p} {t} không ai thu gom, bốc mùi hôi thối.",
            "Có người đổ trộm xà bần, rác thải xây dựng ra bãi đất trống {p}.",
            "Điểm tập kết rác gần {l} tràn ra lòng đường.",
            "Xe thu gom rác {t} không vào kiệt {p}.",
            "Người dân vứt rác bừa bãi xuống kênh, bờ sông ở {p}.",
            "Bãi rác tự phát hình thành ở {p}, ruồi nhặng bu đầy.",
            "Thùng rác công cộng ở {p} bị hỏng, rác vương vãi khắp nơi.",
            "Sau chợ {l} rác chất thành đống, nước rỉ rác chảy ra đường.",
            "Có xe ba gác đổ trộm rác ban đêm ở {p}.",
        ),
        "detail": (
            "Trời nắng bốc mùi không chịu nổi.", "Chó mèo bới tung ra đường.",
            "Gần trường học, trẻ con đi qua hít mùi.", "Mưa xuống nước rác chảy vô nhà dân.",
            "Ruồi muỗi nhiều, sợ sốt xuất huyết.",
        ),
    },
    "water_pollution": {
        "title": (
            "Ô nhiễm nguồn nước", "Nước sông đen ngòm", "Xả thải ra kênh", "Cá chết hàng loạt",
            "Nước giếng bị ô nhiễm",
        ),
        "problem": (
            "Nước {l} đen kịt, nổi bọt và bốc mùi {t}.",
            "Cơ sở sản xuất ở {p} xả nước thải chưa xử lý thẳng ra kênh.",
            "Cá chết nổi trắng mặt hồ gần {p}.",
            "Nhà máy trong {p} xả thải ra sông vào ban đêm, nước có màu lạ.",
            "Nước giếng nhà dân ở {p} có mùi tanh, váng dầu, không dùng được.",
            "Cống xả nước thải sinh hoạt chảy trực tiếp ra biển ở {p}.",
            "Trại heo ở {p} xả chất thải xuống suối, nước đục và hôi.",
        ),
        "detail": (
            "Người dân ở hạ nguồn vẫn dùng nước này để tưới rau.", "Đề nghị lấy mẫu nước kiểm tra.",
            "Tình trạng kéo dài nhiều năm.", "Khách du lịch đi qua cũng phàn nàn.",
        ),
    },
    "noise": {
        "title": (
            "Tiếng ồn", "Ồn ào kéo dài", "Công trình thi công gây ồn ban đêm", "Loa kẹo kéo quá lớn", "Xưởng gây ồn",
        ),
        "problem": (
            "Công trình tại {p} thi công, đổ bê tông {t} gây ồn không ngủ được.",
            "Xưởng cơ khí ở {p} cắt sắt, gò hàn gây tiếng ồn lớn cả ngày.",
            "Hàng xóm mở loa kẹo kéo hát rất lớn ở {p}.",
            "Quán bar gần {l} mở nhạc sàn xập xình tới 2h sáng.",
            "Cửa hàng ở {p} mở loa quảng cáo khuyến mãi hết cỡ cả ngày.",
            "Máy phát điện, máy bơm của công trình {p} chạy suốt đêm.",
            "Xe tải ra vào bãi vật liệu {p} từ 4h sáng, bóp còi inh ỏi.",
        ),
        "detail": (
            "Nhà có người già, trẻ nhỏ không ngủ được.", "Đã nhắc nhưng họ không nghe.",
            "Tiếng ồn vượt quá mức cho phép.", "Con tôi đang ôn thi mà không học được.",
        ),
    },
    "smoke_dust": {
        "title": (
            "Khói bụi, mùi hôi", "Đốt rác gây khói", "Bụi từ xe chở vật liệu", "Mùi hôi thối từ nhà máy",
            "Đốt rơm rạ",
        ),
        "problem": (
            "Có người đốt rác, đốt lốp xe ở {p} khói bay vào nhà dân.",
            "Xe chở cát, đất không che chắn làm rơi vãi, bụi mù mịt trên đường {p}.",
            "Nhà máy chế biến ở {p} bốc mùi hôi thối {t}.",
            "Người dân đốt rơm rạ sau thu hoạch ở {p}, khói mù cả vùng.",
            "Lò đốt vàng mã, lò than ở {p} nhả khói đen.",
            "Bãi rác gần {p} bốc mùi hôi nồng nặc mỗi khi có gió.",
            "Cơ sở tái chế nhựa ở {p} nấu nhựa mùi khét lẹt.",
            "Trạm trộn bê tông {p} gây bụi phủ trắng nhà cửa.",
        ),
        "detail": (
            "Trẻ nhỏ ho liên tục.", "Không dám mở cửa sổ.", "Phơi đồ không được.", "Mùi nặng nhất vào buổi tối.",
        ),
    },
    "dead_animal": {
        "title": (
            "Xác động vật", "Xác chó chết bốc mùi", "Heo chết vứt xuống sông", "Xác chuột chết trên đường",
        ),
        "problem": (
            "Có xác chó chết nằm ở {p} {t} bốc mùi hôi.",
            "Người ta vứt xác heo chết xuống {l}.",
            "Xác mèo chết bị xe cán nằm giữa đường {p}.",
            "Nhiều xác gà chết bị bỏ trong bao ở bãi đất {p}.",
            "Xác cá heo dạt vào bờ biển gần {p}.",
            "Có xác chuột chết thối trong cống trước nhà {p}.",
        ),
        "detail": (
            "Ruồi bu đầy, sợ lây bệnh.", "Nghi heo bị dịch tả châu Phi.", "Không biết báo ai để dọn.",
        ),
    },
    "unsafe_food": {
        "title": (
            "Thực phẩm không rõ nguồn gốc", "Bán thịt bẩn", "Hàng không nhãn mác", "Thực phẩm hết hạn",
            "Nghi thịt heo bệnh",
        ),
        "problem": (
            "Cơ sở ở {p} bán thịt heo không có dấu kiểm dịch, nghi là heo bệnh.",
            "Tiệm tạp hóa {p} bán bánh kẹo, sữa không nhãn mác, hết hạn sử dụng.",
            "Xe tải chở nội tạng động vật bốc mùi tập kết ở {p} {t}.",
            "Ở chợ {l} có người bán chả lụa, giò chả nghi có hàn the.",
            "Kho hàng tại {p} chứa nhiều thùng thực phẩm đông lạnh không rõ nguồn gốc.",
            "Người bán ở {l} dùng hóa chất ngâm trái cây, rau quả cho lâu hỏng.",
            "Trà sữa, trà chanh bán trước cổng trường {p} dùng nguyên liệu không nhãn, không hạn.",
        ),
        "detail": (
            "Mua về ăn có mùi lạ.", "Học sinh mua ăn rất nhiều.", "Giá rẻ bất thường.",
            "Đề nghị kiểm tra nguồn gốc.",
        ),
    },
    "poisoning": {
        "title": (
            "Nghi ngộ độc thực phẩm", "Ăn xong bị đau bụng", "Nhiều người nhập viện sau khi ăn", "Ngộ độc bánh mì",
        ),
        "problem": (
            "Gia đình tôi ăn bánh mì ở {p} {t}, cả nhà bị đau bụng, nôn ói, tiêu chảy.",
            "Sau bữa cỗ đám cưới ở {p}, hơn 20 người phải đi cấp cứu.",
            "Công nhân ăn suất cơm công nghiệp ở {p} bị nôn mửa, chóng mặt.",
            "Học sinh ăn bán trú tại trường gần {p} bị sốt, đau bụng.",
            "Ăn gỏi cá ở quán {p} xong bị ngứa, nổi mẩn, khó thở.",
            "Con tôi uống trà sữa mua ở {p} về bị ói liên tục, phải vào viện.",
        ),
        "detail": (
            "Hiện đang điều trị tại Bệnh viện Đà Nẵng.", "Quán vẫn mở bán bình thường.",
            "Nhiều người khác cũng bị giống vậy.", "Đề nghị lấy mẫu xét nghiệm.",
        ),
    },
    "unhygienic": {
        "title": (
            "Cơ sở mất vệ sinh", "Quán ăn bẩn", "Lò giết mổ mất vệ sinh", "Bếp ăn không đảm bảo vệ sinh",
        ),
        "problem": (
            "Quán ăn ở {p} rửa chén dưới đất cạnh cống, ruồi bu đầy thức ăn.",
            "Lò giết mổ tại {p} hoạt động ban đêm, nước thải, lông, huyết chảy ra đường.",
            "Bếp nhà hàng {p} có gián, chuột chạy khắp nơi.",
            "Cơ sở làm bún ở {p} sản xuất trong điều kiện dơ bẩn, nền nhà ẩm mốc.",
            "Nhân viên quán {p} bốc đồ ăn bằng tay không đeo găng, vừa hút thuốc vừa nấu.",
            "Xe bán đồ ăn vặt trước {l} dùng dầu chiên đen đặc, chiên đi chiên lại.",
        ),
        "detail": (
            "Khách ăn rất đông.", "Đề nghị kiểm tra giấy chứng nhận an toàn thực phẩm.", "Tôi đã quay clip.",
        ),
    },
    "congestion": {
        "title": (
            "Ùn tắc giao thông", "Kẹt xe kéo dài", "Tắc đường giờ cao điểm", "Ùn tắc trước cổng trường",
        ),
        "problem": (
            "Giờ tan tầm đường {p} kẹt cứng, xe nhích từng chút.",
            "Phụ huynh đậu xe đón con trước cổng trường gần {p} gây ùn tắc.",
            "Nút giao {l} ùn tắc nghiêm trọng {t}, không có người điều tiết.",
            "Công trình rào chắn nửa đường {p} khiến xe cộ ùn ứ kéo dài.",
            "Xe container ra vào {p} gây tắc đường vào giờ cao điểm.",
            "Đám tang dựng rạp chiếm hết lòng đường {p}, xe không lưu thông được.",
        ),
        "detail": (
            "Kẹt gần 1 tiếng mới qua.", "Xe cứu thương cũng không đi được.", "Đề nghị bố trí CSGT điều tiết.",
            "Cần phân luồng lại.",
        ),
    },
    "parking": {
        "title": (
            "Đỗ xe sai quy định", "Ô tô đậu chắn lối", "Đậu xe dưới lòng đường", "Xe tải đỗ qua đêm",
        ),
        "problem": (
            "Ô tô đậu chắn trước cửa nhà {p}, gọi mãi không có ai dời.",
            "Xe tải, xe container đậu qua đêm dọc đường {p}, rất nguy hiểm.",
            "Xe du lịch đậu 2 hàng trên đường {p} đón khách.",
            "Taxi, xe công nghệ đậu tràn trước {l} chờ khách.",
            "Gara ô tô ở {p} đậu xe sửa kín lòng đường.",
            "Ô tô đỗ trên vỉa hè, chỗ có biển cấm dừng đỗ ở {p}.",
        ),
        "detail": (
            "Ban đêm không có đèn cảnh báo, đã có người tông vào.", "Tôi có chụp biển số.",
            "Không lấy được xe ra khỏi nhà.",
        ),
    },
    "signals": {
        "title": (
            "Đèn tín hiệu hỏng", "Đèn giao thông không hoạt động", "Biển báo bị che khuất", "Mất biển báo",
            "Đèn đỏ quá ngắn",
        ),
        "problem": (
            "Đèn tín hiệu giao thông tại {l} bị hỏng {t}, chỉ nháy vàng.",
            "Đèn xanh đèn đỏ ngã tư {p} chập chờn, hai hướng cùng xanh.",
            "Biển báo cấm rẽ trái ở {p} bị gãy đổ nằm bên đường.",
            "Cây xanh che khuất biển báo tốc độ trên đường {p}.",
            "Vạch sơn qua đường ở {p} bị mờ hết, không thấy.",
            "Đèn đỏ ở nút {l} thời gian quá ngắn, xe dồn ứ.",
            "Gương cầu lồi ở khúc cua {p} bị vỡ.",
        ),
        "detail": (
            "Xe cộ tranh nhau đi, suýt va chạm.", "Đã xảy ra tai nạn.", "Ban đêm rất nguy hiểm.",
        ),
    },
    "racing": {
        "title": (
            "Đua xe trái phép", "Thanh niên lạng lách", "Đua xe ban đêm", "Nẹt pô gây mất an toàn",
        ),
        "problem": (
            "Nhóm thanh niên tụ tập đua xe trên đường {p} vào {t}.",
            "Nhiều xe máy bốc đầu, lạng lách, nẹt pô trên đường {p}.",
            "Cứ khoảng 0h là có đám đua xe từ {l} chạy về {p}.",
            "Thanh niên chạy xe độ pô, kèn, rú ga inh ỏi qua {p}.",
            "Nhóm đua xe mang theo hung khí, cổ vũ ở {p}.",
        ),
        "detail": (
            "Người dân không dám ra đường.", "Đề nghị công an lập chốt.", "Có clip quay lại.",
            "Đã có người bị tông.",
        ),
    },
    "disturbance": {
        "title": (
            "Gây rối trật tự", "Đánh nhau", "Nhậu say gây rối", "Tụ tập gây mất an ninh",
        ),
        "problem": (
            "Nhóm thanh niên nhậu say gây gổ, đánh nhau ở {p} {t}.",
            "Có người say rượu chửi bới, đập phá đồ đạc tại {p}.",
            "Hai nhóm học sinh hẹn đánh nhau gần {l}.",
            "Đối tượng lạ mặt tụ tập, mang theo dao, gậy ở {p}.",
            "Người ngáo đá la hét, cầm dao dọa người qua đường ở {p}.",
            "Nhóm đòi nợ thuê đến {p} tạt sơn, chửi bới.",
        ),
        "detail": (
            "Có người bị thương.", "Dân không dám can.", "Đề nghị công an phường có mặt.",
            "Chuyện xảy ra nhiều lần rồi.",
        ),
    },
    "theft": {
        "title": (
            "Trộm cắp", "Mất trộm xe máy", "Trộm đột nhập", "Giật điện thoại", "Trộm chó",
        ),
        "problem": (
            "Nhà tôi ở {p} bị trộm đột nhập {t}, lấy mất xe máy và điện thoại.",
            "Đối tượng đi xe máy giật điện thoại của người đi đường ở {p}.",
            "Trộm cắt khóa lấy xe đạp, xe máy ở bãi xe gần {l}.",
            "Khu {p} liên tục bị trộm chó, trộm gà ban đêm.",
            "Có người cắt trộm dây cáp điện, nắp cống ở {p}.",
            "Trộm đập kính ô tô lấy tài sản khi đậu ở {p}.",
        ),
        "detail": (
            "Camera có quay được mặt.", "Đã trình báo công an nhưng chưa có kết quả.", "Mong tăng cường tuần tra.",
            "Trong tháng đã mất mấy vụ.",
        ),
    },
    "gambling_drugs": {
        "title": (
            "Cờ bạc", "Nghi sử dụng ma túy", "Tụ tập đánh bạc", "Ổ nhóm sử dụng chất cấm", "Đá gà ăn tiền",
        ),
        "problem": (
            "Có nhóm người tụ tập đánh bài ăn tiền ở {p} {t}.",
            "Nghi có người sử dụng ma túy, vứt kim tiêm ở {p}.",
            "Tổ chức đá gà ăn tiền tại bãi đất trống {p}.",
            "Quán cà phê {p} có dấu hiệu cho khách chơi lô đề, cá độ bóng đá.",
            "Thanh niên hút bóng cười, bình khí ở {p} vào ban đêm.",
            "Nghi căn nhà tại {p} là nơi mua bán ma túy, người lạ ra vào liên tục.",
        ),
        "detail": (
            "Sợ ảnh hưởng đến con em trong xóm.", "Đề nghị công an điều tra.", "Xin giữ bí mật thông tin người báo.",
        ),
    },
    "karaoke": {
        "title": (
            "Karaoke gây ồn", "Hát karaoke khuya", "Quán karaoke mở quá giờ", "Karaoke hàng xóm",
        ),
        "problem": (
            "Nhà hàng xóm tại {p} hát karaoke tới 12h đêm.",
            "Quán karaoke ở {p} hoạt động quá giờ, mở nhạc lớn tới 1-2h sáng.",
            "Đám cưới, đám nhậu ở {p} hát karaoke ầm ĩ {t}.",
            "Quán nhậu gần {l} hát karaoke thâu đêm, còn la hét.",
            "Loa karaoke nhà {p} mở hết cỡ sau 22h.",
        ),
        "detail": (
            "Đã nhắc nhưng họ còn chửi lại.", "Cả khu không ai ngủ được.", "Đề nghị xử phạt theo quy định.",
            "Gọi 113 thì họ tắt được một lúc rồi lại hát.",
        ),
    },
    "road_damage": {
        "title": (
            "Đường hư hỏng", "Ổ gà giữa đường", "Mặt đường sụt lún", "Đường xuống cấp", "Hố tử thần",
        ),
        "problem": (
            "Mặt đường {p} có nhiều ổ gà, ổ voi lớn.",
            "Đường {p} bị sụt lún, nứt toác sau mấy trận mưa.",
            "Sau khi đào lắp ống, đơn vị thi công trả mặt bằng {p} lồi lõm, không hoàn trả.",
            "Nắp hố ga trên đường {p} bị vỡ, thụt sâu.",
            "Đường bê tông vào {p} bị bong tróc, đá dăm văng khắp nơi.",
            "Xuất hiện hố sâu giữa đường gần {l} {t}.",
            "Cầu tạm ở {p} lan can gãy, mặt cầu thủng.",
        ),
        "detail": (
            "Đã có người đi xe máy bị té.", "Mưa xuống nước đọng không thấy ổ gà.", "Ban đêm rất nguy hiểm.",
            "Xe tải chạy nhiều nên hư nhanh.",
        ),
    },
    "streetlight": {
        "title": (
            "Đèn đường hỏng", "Mất đèn chiếu sáng", "Đèn đường không sáng", "Đèn đường sáng ban ngày",
        ),
        "problem": (
            "Đèn chiếu sáng đường {p} không sáng {t}.",
            "Cả đoạn đường gần {l} tối om vì đèn đường hư.",
            "Đèn đường kiệt {p} chập chờn lúc sáng lúc tắt.",
            "Đèn đường {p} sáng cả ban ngày, lãng phí điện.",
            "Trụ đèn chiếu sáng {p} bị nghiêng, bóng đèn rơi xuống.",
        ),
        "detail": (
            "Tối đi làm về rất sợ.", "Trộm cướp dễ hoạt động.", "Phụ nữ đi về khuya không an toàn.",
        ),
    },
    "drainage": {
        "title": (
            "Ngập úng", "Đường ngập sau mưa", "Cống thoát nước bị tắc", "Nắp cống hư", "Mưa là ngập",
        ),
        "problem": (
            "Mỗi lần mưa lớn là đường {p} ngập sâu nửa mét, nước tràn vào nhà.",
            "Cống thoát nước ở {p} bị tắc, nước không thoát được {t}.",
            "Mương thoát nước {p} đầy rác, bùn, bốc mùi.",
            "Hố ga {p} không có nắp đậy, nước chảy xoáy rất nguy hiểm.",
            "Nước thải tràn lên mặt đường {p} do cống bị nghẹt.",
            "Khu {p} ngập cục bộ từ khi có dự án san lấp bên cạnh.",
        ),
        "detail": (
            "Xe chết máy hàng loạt.", "Đề nghị nạo vét cống.", "Mùa mưa năm nào cũng vậy.",
            "Nhà thấp hơn mặt đường nên nước vào nhà.",
        ),
    },
    "water_supply": {
        "title": (
            "Mất nước sinh hoạt", "Vỡ ống nước", "Nước máy yếu", "Nước máy có mùi lạ", "Cúp nước không báo trước",
        ),
        "problem": (
            "Khu vực {p} bị mất nước sinh hoạt {t} mà không có thông báo.",
            "Đường ống cấp nước bị vỡ ở {p}, nước phun lên mặt đường.",
            "Nước máy ở {p} chảy rất yếu, tầng 2 không lên được.",
            "Nước máy {p} đục, có mùi clo nặng và cặn bẩn.",
            "Ống nước bị rò rỉ ở {p} nhiều ngày, lãng phí nước.",
            "Nhà ở {p} đã đăng ký mà chưa được lắp nước máy, phải mua nước bình.",
        ),
        "detail": (
            "Không có nước nấu ăn, tắm rửa.", "Gọi Dawaco thì hẹn mà chưa thấy tới.", "Đồng hồ nước vẫn quay tiền.",
        ),
    },
    "trees": {
        "title": (
            "Cây xanh gãy đổ", "Cây có nguy cơ ngã đổ", "Cây đổ chắn đường", "Cành cây gãy", "Cắt tỉa cây xanh",
        ),
        "problem": (
            "Cây xanh trên đường {p} bị gãy đổ chắn ngang đường {t}.",
            "Cây phượng trước {p} bị mục gốc, nghiêng hẳn ra đường, có nguy cơ đổ.",
            "Cành cây lớn ở {p} gãy treo lơ lửng trên dây điện.",
            "Cây xanh {p} tán quá rậm, che kín đèn đường, cần cắt tỉa.",
            "Có người tự ý chặt hạ cây xanh trên vỉa hè {p}.",
            "Rễ cây làm bung vỉa hè, nứt tường nhà ở {p}.",
        ),
        "detail": (
            "Mùa mưa bão sắp tới rất lo.", "Đã đè lên xe máy của người dân.", "Đề nghị cắt tỉa trước mùa bão.",
        ),
    },
    "power": {
        "title": (
            "Dây điện võng thấp", "Mất điện", "Trụ điện nghiêng", "Dây điện chằng chịt", "Chập điện, cháy tủ điện",
        ),
        "problem": (
            "Dây điện, dây cáp viễn thông ở {p} võng thấp, xe tải đi qua vướng.",
            "Trụ điện trước {p} bị nghiêng, có nguy cơ ngã.",
            "Khu vực {p} mất điện {t} mà không có lịch cắt điện.",
            "Tủ điện ở {p} bị chập, phát ra tia lửa.",
            "Dây điện bị đứt rơi xuống đường {p} sau trận gió.",
            "Điện chập chờn, yếu ở {p}, hư hết đồ điện.",
        ),
        "detail": (
            "Trẻ con chơi gần đó rất nguy hiểm.", "Đề nghị điện lực kiểm tra gấp.",
            "Trời nóng mà mất điện, người già mệt.",
        ),
    },
    "other": {
        "title": (
            "Góp ý", "Hỏi thủ tục", "Cần hỗ trợ", "Kiến nghị", "Phản ánh khác", "Xin hỏi",
        ),
        "problem": (
            "Cho hỏi thủ tục cấp lại căn cước công dân thì làm ở đâu, cần giấy tờ gì?",
            "Hồ sơ cấp giấy chứng nhận quyền sử dụng đất nộp từ lâu mà chưa có kết quả.",
            "Đề nghị xem xét chế độ trợ cấp cho người cao tuổi ở {p}.",
            "Thái độ cán bộ tiếp dân tại bộ phận một cửa rất hách dịch.",
            "Xin hỏi lịch tiêm chủng cho trẻ tại trạm y tế {p}.",
            "Khen ngợi lực lượng công an phường đã giúp đỡ người dân {t}.",
            "Trường học ở {p} thu các khoản tiền ngoài quy định.",
            "Đề nghị mở thêm tuyến xe buýt từ {l} đi {p}.",
            "Ứng dụng dịch vụ công trực tuyến bị lỗi, không nộp hồ sơ được.",
            "Tôi bị lừa đảo qua mạng chuyển khoản mất tiền, không biết báo ở đâu.",
            "Xin cảm ơn phường đã sửa xong con đường kiệt {p}.",
            "Đề nghị bố trí thêm sân chơi cho thiếu nhi ở {p}.",
            "Cho hỏi tiền đền bù giải tỏa dự án {p} bao giờ được chi trả?",
        ),
        "detail": (
            "Mong được hướng dẫn.", "Xin cảm ơn.", "Rất mong nhận được phản hồi.", "Người dân chờ đã lâu.",
        ),
    },
}

# Words people shorten on a phone, and how.
TEENCODE: dict[str, tuple[str, ...]] = {
    "không": ("ko", "k", "hok", "khong", "kg"),
    "được": ("dc", "đc", "đk"),
    "gì": ("j", "gi"),
    "rồi": ("r", "roi"),
    "người": ("ng",),
    "với": ("vs", "voi"),
    "quá": ("wa", "qá"),
    "biết": ("bit", "bik"),
    "thì": ("thi", "th"),
    "vậy": ("v", "zay"),
    "trước": ("trc",),
    "anh chị": ("a/c", "ac"),
    "đường": ("đg", "duong"),
    "phường": ("p.", "P"),
    "bây giờ": ("bh", "giờ"),
    "mình": ("mk", "mik"),
    "nhiều": ("nhìu",),
    "cũng": ("cx", "cg"),
}

ANSWER_VAGUE = (
    "Đã tiếp nhận và chuyển đơn vị liên quan xử lý.", "UBND phường đã ghi nhận phản ánh, sẽ tiếp tục theo dõi.",
    "Vụ việc đang được các cơ quan chức năng xem xét, giải quyết theo quy định.",
    "Đơn vị sẽ chỉ đạo kiểm tra, xử lý trong thời gian tới.",
    "Nội dung phản ánh không thuộc thẩm quyền, đã hướng dẫn người dân liên hệ cơ quan có thẩm quyền.",
)
ANSWER_ACTS: dict[str, tuple[str, ...]] = {
    "sidewalk": (
        "Tổ trật tự đô thị phường đã kiểm tra, lập biên bản {n} hộ kinh doanh lấn chiếm vỉa hè, yêu cầu tháo dỡ mái che và dọn dẹp ngay.",
        "Đã tạm giữ bàn ghế, kệ hàng lấn chiếm và ra quyết định xử phạt hành chính {m} đồng.",
    ),
    "construction": (
        "Đội kiểm tra quy tắc đô thị đã lập biên bản đình chỉ thi công công trình, yêu cầu chủ đầu tư tự tháo dỡ phần sai phép trong {d} ngày.",
        "Qua kiểm tra, công trình có giấy phép xây dựng số {n}/GPXD, tuy nhiên xây vượt tầng; đã xử phạt {m} đồng và buộc tháo dỡ.",
    ),
    "advertising": (
        "Đã phối hợp đoàn viên thanh niên bóc xóa {n} tờ rao vặt, sơn lại các trụ điện; các số điện thoại đã được đề nghị nhà mạng khóa.",
        "Đã yêu cầu chủ cơ sở tháo dỡ biển quảng cáo có nguy cơ rơi, việc tháo dỡ hoàn thành ngày {date}.",
    ),
    "waste": (
        "Công ty Môi trường đô thị đã thu gom toàn bộ rác tồn đọng trong ngày, bố trí thêm {n} thùng rác và tăng tần suất thu gom.",
        "Đã dọn sạch điểm rác tự phát, lắp biển cấm đổ rác và camera giám sát; trường hợp vi phạm sẽ bị phạt theo Nghị định 45/2022/NĐ-CP.",
    ),
    "water_pollution": (
        "Đoàn kiểm tra đã lấy mẫu nước thải tại cửa xả; kết quả vượt quy chuẩn, cơ sở bị xử phạt {m} đồng và đình chỉ xả thải.",
        "Đã khơi thông dòng chảy, vớt cá chết và phối hợp Trung tâm Quan trắc theo dõi chất lượng nước trong {d} ngày.",
    ),
    "noise": (
        "Đã làm việc với chủ công trình, yêu cầu không thi công gây ồn từ 22h đến 6h; lần sau vi phạm sẽ đình chỉ thi công.",
        "Đã đo tiếng ồn tại chỗ, mức {n} dBA vượt quy chuẩn; cơ sở đã cam kết lắp vách cách âm.",
    ),
    "smoke_dust": (
        "Đã nhắc nhở và lập biên bản hộ đốt rác; yêu cầu các xe chở vật liệu che chắn, rửa bánh xe trước khi ra đường.",
        "Đoàn liên ngành đã kiểm tra nhà máy, yêu cầu khắc phục hệ thống xử lý mùi trong {d} ngày.",
    ),
    "dead_animal": (
        "Đội vệ sinh đã thu gom, tiêu hủy xác động vật và khử trùng khu vực trong ngày {date}.",
        "Thú y đã lấy mẫu xét nghiệm, xác heo được tiêu hủy đúng quy định, khu vực được phun khử trùng.",
    ),
    "unsafe_food": (
        "Đội quản lý thị trường đã kiểm tra, tạm giữ {n} kg thực phẩm không rõ nguồn gốc và tiêu hủy; xử phạt chủ cơ sở {m} đồng.",
        "Đã lấy mẫu gửi kiểm nghiệm; cơ sở tạm ngừng kinh doanh chờ kết quả.",
    ),
    "poisoning": (
        "Trung tâm Kiểm soát bệnh tật đã điều tra, lấy mẫu thức ăn lưu; cơ sở bị đình chỉ hoạt động trong thời gian chờ kết quả.",
        "{n} người đã được điều trị ổn định và xuất viện; nguyên nhân được xác định do thực phẩm nhiễm khuẩn.",
    ),
    "unhygienic": (
        "Đoàn kiểm tra an toàn thực phẩm đã xử phạt cơ sở {m} đồng vì không đảm bảo điều kiện vệ sinh, yêu cầu khắc phục trong {d} ngày.",
        "Cơ sở chưa có giấy chứng nhận đủ điều kiện an toàn thực phẩm, đã bị đình chỉ hoạt động.",
    ),
    "congestion": (
        "Công an phường đã bố trí lực lượng điều tiết giao thông giờ cao điểm tại vị trí phản ánh.",
        "Sở Xây dựng đã điều chỉnh phương án phân luồng và yêu cầu đơn vị thi công thu hẹp rào chắn.",
    ),
    "parking": (
        "Cảnh sát giao thông đã lập biên bản {n} trường hợp đỗ xe sai quy định và cẩu kéo phương tiện về nơi tạm giữ.",
        "Đã lắp biển cấm dừng đỗ và tăng cường tuần tra xử lý vào ban đêm.",
    ),
    "signals": (
        "Đơn vị quản lý đèn tín hiệu đã sửa chữa xong, đèn hoạt động bình thường từ {date}.",
        "Đã thay mới biển báo bị gãy và sơn lại vạch đi bộ qua đường.",
    ),
    "racing": (
        "Công an đã lập chốt, tạm giữ {n} xe máy và xử lý các đối tượng đua xe, lạng lách.",
        "Đã tăng cường tuần tra vào ban đêm tại tuyến đường phản ánh; mời làm việc với gia đình các em.",
    ),
    "disturbance": (
        "Công an phường đã có mặt, mời các đối tượng về trụ sở làm việc và xử phạt hành chính về hành vi gây rối.",
        "Vụ việc đã được chuyển cơ quan điều tra xem xét theo quy định.",
    ),
    "theft": (
        "Công an phường đã tiếp nhận trình báo, trích xuất camera và đang truy xét đối tượng.",
        "Đã bắt giữ đối tượng trộm cắp, thu hồi tài sản và trao trả cho người dân.",
    ),
    "gambling_drugs": (
        "Công an đã kiểm tra, bắt quả tang {n} đối tượng đánh bạc, thu giữ tang vật.",
        "Đã test nhanh {n} người, {d} trường hợp dương tính với chất ma túy, đang xử lý theo quy định.",
    ),
    "karaoke": (
        "Công an phường đã nhắc nhở, lập biên bản hộ gia đình hát karaoke sau 22h; tái phạm sẽ xử phạt theo Nghị định 282/2025/NĐ-CP.",
        "Đã xử phạt cơ sở karaoke hoạt động quá giờ {m} đồng.",
    ),
    "road_damage": (
        "Đơn vị quản lý đường bộ đã vá {n} ổ gà, thảm lại mặt đường; hoàn thành ngày {date}.",
        "Đã yêu cầu đơn vị thi công cấp nước hoàn trả mặt đường trong {d} ngày.",
    ),
    "streetlight": (
        "Đội quản lý chiếu sáng đã thay {n} bóng đèn hỏng, tuyến đường đã sáng lại.",
        "Đã sửa tủ điều khiển chiếu sáng, cài lại thời gian bật tắt.",
    ),
    "drainage": (
        "Đã nạo vét {n} m cống thoát nước, lắp lại nắp hố ga bị mất.",
        "Dự án nâng cấp hệ thống thoát nước khu vực đã được phê duyệt, dự kiến thi công trong quý tới.",
    ),
    "water_supply": (
        "Công ty Cấp nước đã sửa chữa đường ống bị vỡ, cấp nước trở lại lúc {h}h ngày {date}.",
        "Do sự cố tại trạm bơm, việc cấp nước bị gián đoạn; đã khắc phục và sẽ thông báo trước các lần cắt nước.",
    ),
    "trees": (
        "Công ty Công viên cây xanh đã cắt tỉa, chặt hạ cây có nguy cơ ngã đổ và dọn dẹp cành gãy.",
        "Đã chằng chống cây nghiêng và trồng thay thế cây mới.",
    ),
    "power": (
        "Điện lực đã kiểm tra, nâng độ cao dây, thay trụ điện nghiêng; cấp điện trở lại từ {h}h.",
        "Đã yêu cầu các nhà mạng bó gọn, thu hồi cáp viễn thông võng thấp.",
    ),
    "other": (
        "Đã hướng dẫn người dân liên hệ bộ phận một cửa để được giải quyết thủ tục.",
        "Cảm ơn ý kiến của người dân; nội dung đã được chuyển cơ quan có thẩm quyền trả lời bằng văn bản.",
    ),
}
# fmt: on
