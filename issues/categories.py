"""The seed list of problem categories (DESIGN.md). Operators edit the list afterwards in the
administration; seeding only adds what is missing."""

# (code, Indonesian name, English name, always private)
CATEGORIES = [
    ("pencurian", "Pencurian", "Theft", False),
    ("narkoba", "Narkoba", "Drugs", False),
    ("tawuran", "Perkelahian / tawuran", "Fights, gang brawls", False),
    ("kdrt", "KDRT — kekerasan dalam rumah tangga", "Domestic violence", True),
    ("kekerasan-seksual", "Kekerasan seksual", "Sexual violence", True),
    ("perlindungan-anak", "Perlindungan anak", "Child protection", True),
    ("kenakalan-remaja", "Kenakalan remaja", "Juvenile delinquency", False),
    ("perjudian", "Perjudian", "Gambling", False),
    ("minuman-keras", "Minuman keras", "Alcohol", False),
    ("lalu-lintas", "Gangguan lalu lintas", "Traffic", False),
    ("sengketa-tanah", "Sengketa tanah", "Land disputes", False),
    ("penipuan-daring", "Penipuan daring", "Online fraud", False),
    ("keributan", "Keributan / kebisingan", "Disturbance, noise", False),
    ("orang-mencurigakan", "Orang mencurigakan", "Suspicious persons", False),
    ("lainnya", "Lainnya", "Other", False),
]


def seed_categories(category_model) -> None:
    """Create the missing seed categories; takes the model so a migration can pass its own."""
    for position, (code, name, name_en, always_private) in enumerate(CATEGORIES):
        category_model.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "always_private": always_private,
                "position": position * 10,
            },
        )
