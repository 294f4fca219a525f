"""The demo store's catalog: a cosmetics and hair-care shop that works with stylists."""

GROUPS: dict[str, dict[str, list[tuple[str, str, str]]]] = {
    # top group -> sub group -> [(name, price, cost)]
    "Skin care": {
        "Face creams": [("Hydrating day cream 50 ml", "420.00", "236.00"),
                        ("Night repair cream 50 ml", "515.00", "290.00"),
                        ("SPF 50 face fluid 40 ml", "389.00", "205.00"),
                        ("Eye contour gel 15 ml", "298.00", "151.00")],
        "Cleansers": [("Micellar water 400 ml", "189.00", "92.00"),
                      ("Foaming gel cleanser 200 ml", "235.00", "118.00"),
                      ("Enzyme powder wash 60 g", "312.00", "160.00")],
        "Serums": [("Vitamin C serum 30 ml", "640.00", "352.00"),
                   ("Hyaluronic serum 30 ml", "575.00", "300.00"),
                   ("Niacinamide 10% serum 30 ml", "455.00", "228.00")],
    },
    "Hair care": {
        "Shampoos": [("Volume shampoo 300 ml", "265.00", "131.00"),
                     ("Colour-protect shampoo 300 ml", "289.00", "143.00"),
                     ("Anti-dandruff shampoo 250 ml", "244.00", "120.00"),
                     ("Professional shampoo 1000 ml", "690.00", "380.00")],
        "Masks and conditioners": [("Keratin mask 250 ml", "398.00", "205.00"),
                                   ("Leave-in conditioner 150 ml", "276.00", "139.00"),
                                   ("Argan oil 50 ml", "345.00", "170.00")],
        "Colour": [("Permanent colour 60 ml", "185.00", "88.00"),
                   ("Oxidising cream 6% 1000 ml", "320.00", "150.00"),
                   ("Toner 60 ml", "210.00", "101.00")],
    },
    "Make-up": {
        "Face": [("Liquid foundation 30 ml", "480.00", "250.00"),
                 ("Compact powder 10 g", "365.00", "180.00"),
                 ("Concealer 6 ml", "299.00", "150.00")],
        "Eyes": [("Volume mascara", "329.00", "160.00"), ("Eyeliner pencil", "149.00", "70.00"),
                 ("Eyeshadow palette 12 shades", "610.00", "320.00")],
        "Lips": [("Matte lipstick", "279.00", "135.00"), ("Lip gloss", "199.00", "95.00"),
                 ("Lip balm SPF 15", "119.00", "55.00")],
    },
    "Tools and accessories": {
        "Brushes": [("Foundation brush", "260.00", "120.00"),
                    ("Brush set 7 pcs", "890.00", "450.00")],
        "Hair tools": [("Ceramic round brush", "345.00", "165.00"),
                       ("Professional hair dryer 2200 W", "2450.00", "1600.00"),
                       ("Flat iron", "1890.00", "1200.00")],
    },
    "Gift sets": {
        "": [("Skin care gift box", "1250.00", "700.00"),
             ("Hair care gift box", "990.00", "560.00"),
             ("Gift certificate 500", "500.00", "500.00")],
    },
}

STAFF = [
    ("owner", "Olena Kovalenko", "owner", "owner-demo-1"),
    ("manager", "Taras Melnyk", "manager", "manager-demo-1"),
    ("cashier", "Iryna Bondar", "cashier", "cashier-demo-1"),
]
# The partner portal's demo user: the salon's own login.
PARTNER_LOGIN = ("salon", "Salon Lily", "partner", "partner-demo-1")
